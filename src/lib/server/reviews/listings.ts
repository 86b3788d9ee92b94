import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DB } from '../db';
import { assignments, batches, items, reviews } from '../db/schema';
import { getQueueProgress } from './queue';

/** A researcher's own reviews, newest first, with what they may still do with each. */
export function listMyReviews(db: DB, userId: number, page = 1, pageSize = 50) {
	const where = and(
		eq(reviews.userId, userId),
		inArray(reviews.status, ['submitted', 'skipped', 'draft'])
	);
	const total =
		db
			.select({ n: sql<number>`count(*)` })
			.from(reviews)
			.where(where)
			.get()?.n ?? 0;
	const rows = db
		.select({
			id: reviews.id,
			itemId: reviews.itemId,
			batchId: reviews.batchId,
			batchName: batches.name,
			batchStatus: batches.status,
			calibration: batches.calibration,
			// Removed from the batch: the review stays, but its page is closed to them.
			assigned: sql<number>`exists (select 1 from assignments a where a.batch_id = ${reviews.batchId} and a.user_id = ${reviews.userId})`,
			status: reviews.status,
			updatedAt: reviews.updatedAt,
			submittedAt: reviews.submittedAt,
			externalId: items.externalId,
			promptText: sql<string>`substr(${items.promptText}, 1, 160)`
		})
		.from(reviews)
		.innerJoin(items, eq(items.id, reviews.itemId))
		.innerJoin(batches, eq(batches.id, reviews.batchId))
		.where(where)
		.orderBy(desc(reviews.updatedAt), desc(reviews.id))
		.limit(pageSize)
		.offset((Math.max(1, page) - 1) * pageSize)
		.all();
	return {
		rows: rows.map((r) => ({ ...r, assigned: Boolean(r.assigned) })),
		total,
		pages: Math.max(1, Math.ceil(total / pageSize))
	};
}

/** The batches a researcher is assigned to, with their progress. */
export function listMyBatches(db: DB, userId: number) {
	const rows = db
		.select({ id: batches.id, name: batches.name, status: batches.status })
		.from(assignments)
		.innerJoin(batches, eq(batches.id, assignments.batchId))
		.where(eq(assignments.userId, userId))
		.orderBy(asc(batches.name))
		.all();
	return rows.map((b) => ({ ...b, progress: getQueueProgress(db, userId, b.id) }));
}
