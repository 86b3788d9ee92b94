import type Database from 'better-sqlite3';
import { statement } from '../../db/statements';
import type { ItemRecord, ResponseRecord, ReviewRecord } from '../../item-records';

/**
 * One item as the measures read it: its responses' models, AI judgements and labels, its
 * submitted reviews' scores and ranks, its decision. It is read for every submitted review
 * (when its stale mark is refreshed, refresh.ts), so this leaves out what readItem also reads
 * (prompt, texts, comments, flags): the fields the measures never look at are left empty.
 */
export type TallyItem = { item: ItemRecord; traitId: number; submitted: number };

export function readTallyItem(
	client: Database.Database,
	batchId: number,
	itemId: number
): TallyItem | null {
	const row = statement(
		client,
		`SELECT trait_id, submitted_count FROM items WHERE id = ? AND batch_id = ?`
	).get(itemId, batchId) as { trait_id: number; submitted_count: number } | undefined;
	if (!row) return null;
	const responses = (
		statement(
			client,
			`SELECT id, position, model, ai_score, ai_rank, reference_label FROM responses
			  WHERE item_id = ? ORDER BY position`
		)
			.raw()
			.all(itemId) as [number, number, string | null, number | null, number | null, string | null][]
	).map(([id, position, model, aiScore, aiRank, label]): ResponseRecord => ({
		id,
		position,
		externalId: null,
		model,
		content: '',
		aiScore,
		aiRank,
		referenceLabel: label as ResponseRecord['referenceLabel'],
		referenceReason: null
	}));
	const reviews = new Map<number, ReviewRecord>();
	const judgements = statement(
		client,
		`SELECT rv.id, rv.user_id, rr.response_id, rr.score, rr.rank
		   FROM reviews rv JOIN review_responses rr ON rr.review_id = rv.id
		  WHERE rv.item_id = ? AND rv.status = 'submitted' ORDER BY rv.id`
	)
		.raw()
		.all(itemId) as [number, number, number, number | null, number | null][];
	for (const [reviewId, userId, responseId, score, rank] of judgements) {
		let review = reviews.get(reviewId);
		if (!review) {
			review = {
				id: reviewId,
				userId,
				scores: {},
				ranks: {},
				comments: {},
				flags: [],
				overallComment: '',
				timeSpentMs: 0,
				submittedAt: null,
				traitVersion: 0,
				shownOrder: []
			};
			reviews.set(reviewId, review);
		}
		if (score !== null) review.scores[responseId] = score;
		if (rank !== null) review.ranks[responseId] = rank;
	}
	const decision = statement(
		client,
		`SELECT decision, final_order FROM adjudications WHERE item_id = ?`
	).get(itemId) as { decision: 'order' | 'exclude'; final_order: string | null } | undefined;
	const item: ItemRecord = {
		id: itemId,
		batchId,
		batchName: '',
		externalId: '',
		traitKey: '',
		traitVersion: 0,
		prompt: [],
		metadata: null,
		responses,
		reviews: [...reviews.values()],
		adjudication: decision
			? {
					decision: decision.decision,
					finalOrder:
						decision.final_order === null ? null : (JSON.parse(decision.final_order) as number[][]),
					note: '',
					decidedBy: null,
					decidedAt: 0
				}
			: null
	};
	return { item, traitId: row.trait_id, submitted: row.submitted_count };
}
