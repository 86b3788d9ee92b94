import type Database from 'better-sqlite3';
import type { ReviewFlag } from './db/schema';
import type { Turn } from './imports';
import { statement } from './db/statements';
import type { StoredEvidence } from './evidence';
import type { ConsensusDecision, ConsensusItem } from './stats';

/**
 * Whole items (prompt, responses, submitted reviews, adjudication) read a chunk at a time, in
 * item id order: what exports, adjudication and the dashboard's human-vs-AI measures work from.
 * Reading by chunks keeps memory flat however large the batch, and never holds the connection
 * between chunks, so the server can go on serving while a large batch is read.
 */

/** Lets the server answer other requests before a long computation goes on. */
export function nextTurn(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

export type ResponseRecord = {
	id: number;
	position: number;
	externalId: string | null;
	model: string | null;
	content: string;
	aiScore: number | null;
	aiRank: number | null;
	referenceLabel: 'good' | 'bad' | 'ok' | null;
	referenceReason: string | null;
};

export type ReviewRecord = {
	id: number;
	userId: number;
	/** Keyed by response id. */
	scores: Record<string, number>;
	ranks: Record<string, number>;
	comments: Record<string, string>;
	flags: ReviewFlag[];
	overallComment: string;
	timeSpentMs: number;
	submittedAt: number | null;
	traitVersion: number;
	/** Response ids as shown; empty when unknown (a review imported from elsewhere). */
	shownOrder: number[];
	/** The reviewer's evidence spans, in the order marked; absent when read without texts. */
	evidence?: StoredEvidence[];
};

export type AdjudicationRecord = {
	decision: 'order' | 'exclude';
	/** Groups of tied response ids, best first; null when excluded. */
	finalOrder: number[][] | null;
	note: string;
	decidedBy: number | null;
	decidedAt: number;
};

export type ItemRecord = {
	id: number;
	batchId: number;
	batchName: string;
	externalId: string;
	traitKey: string;
	/** The trait version the item was imported with. */
	traitVersion: number;
	prompt: Turn[];
	metadata: Record<string, unknown> | null;
	responses: ResponseRecord[];
	/** Submitted reviews only, oldest first. */
	reviews: ReviewRecord[];
	adjudication: AdjudicationRecord | null;
};

// The unary plus (`+i.batch_id`) keeps SQLite from choosing the batch index, which would read
// the whole batch for every chunk: each query walks its id range instead.
const ITEM_CHUNK_SQL = `
	SELECT i.id, i.batch_id AS batchId, b.name AS batchName, i.external_id AS externalId,
	       t.key AS traitKey, tv.version AS traitVersion, i.prompt, i.metadata
	  FROM items i
	  JOIN batches b ON b.id = i.batch_id
	  JOIN traits t ON t.id = i.trait_id
	  JOIN trait_versions tv ON tv.id = i.trait_version_id
	 WHERE +i.batch_id = ? AND i.id > ?
	 ORDER BY i.id LIMIT ?`;

const ONE_ITEM_SQL = `
	SELECT i.id, i.batch_id AS batchId, b.name AS batchName, i.external_id AS externalId,
	       t.key AS traitKey, tv.version AS traitVersion, i.prompt, i.metadata
	  FROM items i
	  JOIN batches b ON b.id = i.batch_id
	  JOIN traits t ON t.id = i.trait_id
	  JOIN trait_versions tv ON tv.id = i.trait_version_id
	 WHERE +i.batch_id = ? AND i.id = ?`;

const RESPONSES_SQL = `
	SELECT r.item_id AS itemId, r.id, r.position, r.external_id AS externalId, r.model, r.content,
	       r.ai_score AS aiScore, r.ai_rank AS aiRank, r.reference_label AS referenceLabel,
	       r.reference_reason AS referenceReason
	  FROM responses r
	 WHERE r.item_id BETWEEN ? AND ? AND r.item_id IN (SELECT id FROM items WHERE id BETWEEN ? AND ? AND +batch_id = ?)
	 ORDER BY r.item_id, r.position`;

/** The same without the texts, which are most of what a batch weighs. */
const RESPONSES_WITHOUT_CONTENT_SQL = `
	SELECT r.item_id AS itemId, r.id, r.position, r.external_id AS externalId, r.model, '' AS content,
	       r.ai_score AS aiScore, r.ai_rank AS aiRank, r.reference_label AS referenceLabel,
	       r.reference_reason AS referenceReason
	  FROM responses r
	 WHERE r.item_id BETWEEN ? AND ? AND r.item_id IN (SELECT id FROM items WHERE id BETWEEN ? AND ? AND +batch_id = ?)
	 ORDER BY r.item_id, r.position`;

const REVIEWS_SQL = `
	SELECT rv.item_id AS itemId, rv.id, rv.user_id AS userId, rv.flags, rv.overall_comment AS overallComment,
	       rv.time_spent_ms AS timeSpentMs, rv.submitted_at AS submittedAt, tv.version AS traitVersion,
	       rv.shown_order AS shownOrder
	  FROM reviews rv
	  JOIN trait_versions tv ON tv.id = rv.trait_version_id
	 WHERE +rv.batch_id = ? AND rv.item_id BETWEEN ? AND ? AND +rv.status = 'submitted'
	 ORDER BY rv.item_id, rv.id`;

const JUDGEMENTS_SQL = `
	SELECT rr.review_id AS reviewId, rr.response_id AS responseId, rr.score, rr.rank, rr.comment
	  FROM review_responses rr
	  JOIN reviews rv ON rv.id = rr.review_id
	 WHERE +rv.batch_id = ? AND rv.item_id BETWEEN ? AND ? AND +rv.status = 'submitted'`;

// CROSS JOIN keeps SQLite walking the chunk's reviews first and probing each one's spans by
// index, rather than scanning every span of the database for each chunk.
const EVIDENCE_SQL = `
	SELECT es.review_id AS reviewId, es.response_id AS responseId, es.start, es."end", es.stance, es.note
	  FROM reviews rv
	 CROSS JOIN evidence_spans es ON es.review_id = rv.id
	 WHERE +rv.batch_id = ? AND rv.item_id BETWEEN ? AND ? AND +rv.status = 'submitted'
	 ORDER BY es.id`;

const ADJUDICATIONS_SQL = `
	SELECT item_id AS itemId, decision, final_order AS finalOrder, note, decided_by AS decidedBy,
	       decided_at AS decidedAt
	  FROM adjudications WHERE +batch_id = ? AND item_id BETWEEN ? AND ?`;

type ItemRow = Omit<
	ItemRecord,
	'prompt' | 'metadata' | 'responses' | 'reviews' | 'adjudication'
> & {
	prompt: string;
	metadata: string | null;
};
type ResponseRow = ResponseRecord & { itemId: number };
type ReviewRow = Omit<ReviewRecord, 'scores' | 'ranks' | 'comments' | 'flags' | 'shownOrder'> & {
	itemId: number;
	flags: string;
	shownOrder: string;
};
type JudgementRow = {
	reviewId: number;
	responseId: number;
	score: number | null;
	rank: number | null;
	comment: string;
};
type EvidenceRow = StoredEvidence & { reviewId: number };
type AdjudicationRow = Omit<AdjudicationRecord, 'finalOrder'> & {
	itemId: number;
	finalOrder: string | null;
};

export type ReadOptions = {
	chunkSize?: number;
	/**
	 * False leaves response texts out (as ''): measures need only ids, labels and AI
	 * judgements, and the texts are most of what a batch weighs.
	 */
	withContent?: boolean;
};

/**
 * The items of one batch, a chunk at a time, each chunk in item id order. A chunk with the
 * response texts is 100 items by default, 500 without them: a chunk lives while its lines are
 * made, long enough for V8 to move it to the old generation, where it waits for a full
 * collection. With 500 items, a 600,000-line export peaked at 313–321 MB instead of 253–257.
 */
export function* readItemChunks(
	client: Database.Database,
	batchId: number,
	options: ReadOptions = {}
): Generator<ItemRecord[]> {
	const { withContent = true, chunkSize = withContent ? 100 : 500 } = options;
	let after = 0;
	for (;;) {
		const rows = statement(client, ITEM_CHUNK_SQL).all(batchId, after, chunkSize) as ItemRow[];
		if (rows.length === 0) return;
		const first = rows[0].id;
		const last = rows[rows.length - 1].id;
		yield assemble(client, batchId, rows, first, last, withContent);
		after = last;
	}
}

/** Every item of the given batches, one at a time. */
export function* readItems(
	client: Database.Database,
	batchIds: readonly number[],
	options: ReadOptions = {}
): Generator<ItemRecord> {
	for (const batchId of batchIds) {
		for (const chunk of readItemChunks(client, batchId, options)) yield* chunk;
	}
}

/** One item, or null when it is not in the batch. */
export function readItem(
	client: Database.Database,
	batchId: number,
	itemId: number
): ItemRecord | null {
	const rows = statement(client, ONE_ITEM_SQL).all(batchId, itemId) as ItemRow[];
	if (rows.length === 0) return null;
	return assemble(client, batchId, rows, itemId, itemId)[0];
}

function assemble(
	client: Database.Database,
	batchId: number,
	rows: ItemRow[],
	first: number,
	last: number,
	withContent = true
): ItemRecord[] {
	const byId = new Map<number, ItemRecord>();
	const result = rows.map((row) => {
		const item: ItemRecord = {
			...row,
			prompt: JSON.parse(row.prompt) as Turn[],
			metadata:
				row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
			responses: [],
			reviews: [],
			adjudication: null
		};
		byId.set(row.id, item);
		return item;
	});
	const responsesSql = withContent ? RESPONSES_SQL : RESPONSES_WITHOUT_CONTENT_SQL;
	for (const row of statement(client, responsesSql).all(
		first,
		last,
		first,
		last,
		batchId
	) as ResponseRow[]) {
		const { itemId, ...response } = row;
		byId.get(itemId)?.responses.push(response);
	}
	const reviewsById = new Map<number, ReviewRecord>();
	for (const row of statement(client, REVIEWS_SQL).all(batchId, first, last) as ReviewRow[]) {
		const { itemId, flags, shownOrder, ...rest } = row;
		const review: ReviewRecord = {
			...rest,
			scores: {},
			ranks: {},
			comments: {},
			flags: JSON.parse(flags) as ReviewFlag[],
			shownOrder: JSON.parse(shownOrder) as number[]
		};
		reviewsById.set(review.id, review);
		byId.get(itemId)?.reviews.push(review);
	}
	for (const row of statement(client, JUDGEMENTS_SQL).all(batchId, first, last) as JudgementRow[]) {
		const review = reviewsById.get(row.reviewId);
		if (!review) continue;
		if (row.score !== null) review.scores[row.responseId] = row.score;
		if (row.rank !== null) review.ranks[row.responseId] = row.rank;
		if (row.comment) review.comments[row.responseId] = row.comment;
	}
	// Spans go with the texts they point into: one query per chunk, not one per review.
	if (withContent) {
		for (const review of reviewsById.values()) review.evidence = [];
		const rows = statement(client, EVIDENCE_SQL).all(batchId, first, last) as EvidenceRow[];
		for (const { reviewId, ...span } of rows) reviewsById.get(reviewId)?.evidence?.push(span);
	}
	for (const row of statement(client, ADJUDICATIONS_SQL).all(
		batchId,
		first,
		last
	) as AdjudicationRow[]) {
		const { itemId, finalOrder, ...rest } = row;
		const item = byId.get(itemId);
		if (item) {
			item.adjudication = {
				...rest,
				finalOrder: finalOrder === null ? null : (JSON.parse(finalOrder) as number[][])
			};
		}
	}
	return result;
}

/** The item in the shape the statistics module works on: response ids as strings. */
export function consensusInput(item: ItemRecord): ConsensusItem {
	return {
		responses: item.responses.map((r) => String(r.id)),
		reviews: item.reviews.map((review) => ({
			reviewer: String(review.userId),
			scores: review.scores,
			ranks: review.ranks
		}))
	};
}

/** The adjudication as the statistics module takes it, or null when there is none. */
export function consensusAdjudication(item: ItemRecord): ConsensusDecision | null {
	const adjudication = item.adjudication;
	if (!adjudication) return null;
	if (adjudication.decision === 'exclude') return { excluded: true };
	return { order: (adjudication.finalOrder ?? []).map((group) => group.map(String)) };
}

/** True when any submitted review raised a flag on the item. */
export function isFlagged(item: ItemRecord): boolean {
	return item.reviews.some((review) => review.flags.length > 0);
}
