// The rows one review write reads and writes: the item's context, the researcher's review and
// its per-response scores, ranks and comments. The queue's hot path: raw prepared statements.
import { mulberry32, shuffle } from '$lib/prng';
import type { ReviewInput } from '$lib/review-input';
import type { AppDB } from '../db';
import { statement } from '../db/statements';
import { DomainError } from '../errors';

/** A deterministic shuffle per researcher and item, so a reload shows the same order. */
export function shuffledFor(userId: number, itemId: number, ids: number[]): number[] {
	const seed = (Math.imul(userId, 0x9e3779b1) ^ Math.imul(itemId, 0x85ebca6b)) >>> 0;
	return shuffle(ids, mulberry32(seed));
}

export type ItemContext = {
	itemId: number;
	batchId: number;
	submittedCount: number;
	status: string;
	scalePoints: number;
	overlap: number;
	calibration: boolean;
	versionId: number;
	responseIds: number[];
};

export function loadItemContext(db: AppDB, itemId: number): ItemContext {
	const row = statement(
		db.$client,
		`SELECT i.id, i.batch_id, i.submitted_count, b.status, b.scale_points, b.overlap, b.calibration,
		        tv.id AS version_id
		   FROM items i
		   JOIN batches b ON b.id = i.batch_id
		   JOIN traits t ON t.id = i.trait_id
		   JOIN trait_versions tv ON tv.trait_id = t.id AND tv.version = t.current_version
		  WHERE i.id = ?`
	).get(itemId) as
		| {
				batch_id: number;
				submitted_count: number;
				status: string;
				scale_points: number;
				overlap: number;
				calibration: number;
				version_id: number;
		  }
		| undefined;
	if (!row) throw new DomainError('There is no such item.', undefined, 404);
	const responseIds = (
		statement(db.$client, `SELECT id FROM responses WHERE item_id = ? ORDER BY position`).all(
			itemId
		) as {
			id: number;
		}[]
	).map((r) => r.id);
	return {
		itemId,
		batchId: row.batch_id,
		submittedCount: row.submitted_count,
		status: row.status,
		scalePoints: row.scale_points,
		overlap: row.overlap,
		calibration: Boolean(row.calibration),
		versionId: row.version_id,
		responseIds
	};
}

/** Refuses an item named under another batch's address: each batch's page writes its own. */
export function requireItemInBatch(db: AppDB, batchId: number, itemId: number): void {
	const row = statement(db.$client, `SELECT batch_id FROM items WHERE id = ?`).get(itemId) as
		{ batch_id: number } | undefined;
	if (row?.batch_id !== batchId) {
		throw new DomainError('There is no such item in this batch.', undefined, 404);
	}
}

export type ExistingReview = {
	id: number;
	status: string;
	overall_comment: string;
	flags: string;
	time_spent_ms: number;
	skip_reason: string | null;
	submitted_at: number | null;
};

export function findReview(db: AppDB, userId: number, itemId: number): ExistingReview | undefined {
	return statement(
		db.$client,
		`SELECT id, status, overall_comment, flags, time_spent_ms, skip_reason, submitted_at
		   FROM reviews WHERE user_id = ? AND item_id = ?`
	).get(userId, itemId) as ExistingReview | undefined;
}

export type ReviewState = { status: string; skipReason: string | null; submittedAt: number | null };

/** Writes the review row and its per-response rows; returns the review id. */
export function writeReview(
	db: AppDB,
	ctx: ItemContext,
	userId: number,
	existing: ExistingReview | undefined,
	input: ReviewInput,
	state: ReviewState,
	now: Date
): number {
	const c = db.$client;
	const timeSpent = Math.max(input.timeSpentMs, existing?.time_spent_ms ?? 0);
	const flags = JSON.stringify(input.flags);
	let reviewId: number;
	if (existing) {
		statement(
			c,
			`UPDATE reviews SET status = ?, skip_reason = ?, submitted_at = ?, overall_comment = ?, flags = ?,
			        time_spent_ms = ?, trait_version_id = ?, updated_at = ? WHERE id = ?`
		).run(
			state.status,
			state.skipReason,
			state.submittedAt,
			input.overallComment,
			flags,
			timeSpent,
			ctx.versionId,
			now.getTime(),
			existing.id
		);
		reviewId = existing.id;
	} else {
		reviewId = (
			statement(
				c,
				`INSERT INTO reviews (item_id, batch_id, user_id, status, skip_reason, submitted_at, overall_comment,
				        flags, time_spent_ms, trait_version_id, shown_order, started_at, updated_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
			).get(
				ctx.itemId,
				ctx.batchId,
				userId,
				state.status,
				state.skipReason,
				state.submittedAt,
				input.overallComment,
				flags,
				timeSpent,
				ctx.versionId,
				JSON.stringify(shuffledFor(userId, ctx.itemId, ctx.responseIds)),
				now.getTime(),
				now.getTime()
			) as { id: number }
		).id;
	}
	// Updated in place rather than deleted and re-inserted: a draft is saved many times.
	const insert = statement(
		c,
		`INSERT INTO review_responses (review_id, response_id, score, rank, comment) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT (review_id, response_id) DO UPDATE
		 SET score = excluded.score, rank = excluded.rank, comment = excluded.comment`
	);
	for (const responseId of ctx.responseIds) {
		insert.run(
			reviewId,
			responseId,
			input.scores[responseId] ?? null,
			input.ranks[responseId] ?? null,
			input.comments[responseId] ?? ''
		);
	}
	return reviewId;
}

/** A review's judgements as one value, for the audit log's old and new. */
export function snapshot(db: AppDB, review: ExistingReview) {
	const rows = statement(
		db.$client,
		`SELECT response_id, score, rank, comment FROM review_responses WHERE review_id = ? ORDER BY response_id`
	).all(review.id) as {
		response_id: number;
		score: number | null;
		rank: number | null;
		comment: string;
	}[];
	return {
		scores: Object.fromEntries(rows.map((r) => [r.response_id, r.score])),
		ranks: Object.fromEntries(rows.map((r) => [r.response_id, r.rank])),
		comments: Object.fromEntries(rows.map((r) => [r.response_id, r.comment])),
		overallComment: review.overall_comment,
		flags: JSON.parse(review.flags) as string[]
	};
}
