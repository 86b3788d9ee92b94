import type Database from 'better-sqlite3';
import type { AppDB } from '../db';
import { batchReviewerLabels } from '../pseudonyms';
import {
	computeGoldAccuracy,
	goldReading,
	type GoldAccuracy,
	type GoldReading,
	type GoldReview
} from '../stats';
import { DEFAULT_GOLD_RATE } from './turn';

export type ReviewerGoldAccuracy = GoldAccuracy & { userId: number; reading: GoldReading };

type JudgementRow = {
	reviewId: number;
	userId: number;
	goldOrder: string;
	responseId: number | null;
	score: number | null;
	rank: number | null;
};

/**
 * Each reviewer's accuracy on the gold items of the given batches, pooled over them: their
 * submitted reviews only (a skip judges nothing), against each item's current expected order.
 * Reviewers in user id order. The partial gold index keeps this to the gold items' rows.
 */
export function goldAccuracy(
	db: { $client: Database.Database },
	batchIds: readonly number[]
): ReviewerGoldAccuracy[] {
	if (batchIds.length === 0) return [];
	const rows = db.$client
		.prepare(
			`SELECT rv.id AS reviewId, rv.user_id AS userId, i.gold_order AS goldOrder,
			        rr.response_id AS responseId, rr.score, rr.rank
			   FROM items i
			   JOIN reviews rv ON rv.item_id = i.id AND rv.status = 'submitted'
			   LEFT JOIN review_responses rr ON rr.review_id = rv.id
			  WHERE i.batch_id IN (${batchIds.map(() => '?').join(',')}) AND i.gold_order IS NOT NULL
			  ORDER BY rv.user_id, rv.id`
		)
		.all(...batchIds) as JudgementRow[];
	const byReviewer = new Map<number, Map<number, GoldReview>>();
	for (const row of rows) {
		const reviews = byReviewer.get(row.userId) ?? new Map<number, GoldReview>();
		byReviewer.set(row.userId, reviews);
		let review = reviews.get(row.reviewId);
		if (!review) {
			review = { order: JSON.parse(row.goldOrder) as number[][], ranks: {}, scores: {} };
			reviews.set(row.reviewId, review);
		}
		if (row.responseId === null) continue;
		if (row.rank !== null) (review.ranks as Record<string, number>)[row.responseId] = row.rank;
		if (row.score !== null) (review.scores as Record<string, number>)[row.responseId] = row.score;
	}
	return [...byReviewer].map(([userId, reviews]) => {
		const accuracy = computeGoldAccuracy([...reviews.values()]);
		return { userId, ...accuracy, reading: goldReading(accuracy) };
	});
}

/** A batch's gold rate and how many of its items are gold. */
export function readGoldSettings(
	db: { $client: Database.Database },
	batchId: number
): { rate: number; goldItems: number } {
	const row = db.$client
		.prepare(
			`SELECT b.gold_rate AS rate,
			        (SELECT count(*) FROM items WHERE batch_id = b.id AND gold_order IS NOT NULL) AS goldItems
			   FROM batches b WHERE b.id = ?`
		)
		.get(batchId) as { rate: number; goldItems: number } | undefined;
	return row ?? { rate: DEFAULT_GOLD_RATE, goldItems: 0 };
}

/** The dashboard's gold section: the batch's gold items and rate, and reviewers by name. */
export function batchGoldSummary(db: AppDB, batchId: number, options: { showNames: boolean }) {
	const label = batchReviewerLabels(db, batchId, options.showNames);
	return {
		...readGoldSettings(db, batchId),
		reviewers: goldAccuracy(db, [batchId]).map(({ userId, ...rest }) => ({
			reviewer: label(userId),
			...rest
		}))
	};
}

export type BatchGoldSummary = ReturnType<typeof batchGoldSummary>;

/** The gold items of a batch, for exports to leave out or mark. Gold items are few. */
export function goldItemIds(client: Database.Database, batchId: number): Set<number> {
	const rows = client
		.prepare(`SELECT id FROM items WHERE batch_id = ? AND gold_order IS NOT NULL`)
		.all(batchId) as { id: number }[];
	return new Set(rows.map((r) => r.id));
}
