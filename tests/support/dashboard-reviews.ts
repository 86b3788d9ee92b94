// Reviews written straight into a batch for the dashboard's tests: who reviewed which items,
// and with what scores, decided by the test rather than by the queue.
import { asc, eq } from 'drizzle-orm';
import type { AppDB } from '../../src/lib/server/db';
import { responses } from '../../src/lib/server/db/schema';
import { assignResearcher } from '../../src/lib/server/reviews';
import { makeUser } from './factories';
import { submitReview } from './review-batches';

/** A new researcher, assigned to the batch by `leadId`. */
export async function assignedResearcher(db: AppDB, leadId: number, batchId: number) {
	const user = await makeUser(db, { role: 'researcher' });
	assignResearcher(db, leadId, batchId, user.id, null);
	return user;
}

export type ScoredResponse = typeof responses.$inferSelect;

/**
 * Submits one review per item by `userId`: each response scored by `scoreOf`, ranked by those
 * scores (ties share a rank), with a time spent of a minute and a half.
 */
export function reviewItems(
	db: AppDB,
	userId: number,
	itemIds: readonly number[],
	scoreOf: (response: ScoredResponse, itemIndex: number) => number
): void {
	itemIds.forEach((itemId, index) => {
		const rows = db
			.select()
			.from(responses)
			.where(eq(responses.itemId, itemId))
			.orderBy(asc(responses.position))
			.all();
		const scores = Object.fromEntries(rows.map((r) => [r.id, scoreOf(r, index)]));
		const ranks = Object.fromEntries(
			rows.map((r) => [r.id, 1 + rows.filter((o) => scores[o.id] > scores[r.id]).length])
		);
		submitReview(db, userId, itemId, { scores, ranks, timeSpentMs: 90_000 });
	});
}
