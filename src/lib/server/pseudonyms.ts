import type Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { DB } from './db';

/**
 * How reviewers of a batch are named to the person looking: admins see usernames; leads see
 * "Reviewer 1", "Reviewer 2"… numbered by user id among everyone assigned to the batch or with a
 * review in it, so one person keeps one pseudonym on every page of the batch.
 */
export function batchReviewerLabels(
	db: DB,
	batchId: number,
	showNames: boolean
): (userId: number) => string {
	// One index probe per user, not a read of every review of the batch (seconds on a large one).
	const rows = db.all<{ id: number; username: string }>(sql`
		select u.id as id, u.username as username from users u
		 where u.id in (select user_id from assignments where batch_id = ${batchId})
		    or exists (select 1 from reviews r where r.user_id = u.id and r.batch_id = ${batchId})
		 order by u.id`);
	const labels = new Map(
		rows.map((row, i) => [row.id, showNames ? row.username : `Reviewer ${i + 1}`])
	);
	return (userId) => labels.get(userId) ?? (showNames ? `#${userId}` : 'Reviewer ?');
}

/**
 * Reviewer names for an export file: `reviewer-N` in user id order among the reviewers of the
 * exported batches, the same for the same batches every time. Files leave the tool, so they
 * never carry a username.
 */
export function exportReviewerNames(client: Database.Database, batchIds: readonly number[]) {
	const rows = client
		.prepare(
			`SELECT DISTINCT user_id AS userId FROM reviews
			  WHERE status = 'submitted' AND batch_id IN (${batchIds.map(() => '?').join(',')})
			  ORDER BY user_id`
		)
		.all(...batchIds) as { userId: number }[];
	const names = new Map(rows.map((row, i) => [row.userId, `reviewer-${i + 1}`]));
	return (userId: number) => names.get(userId) ?? 'reviewer-?';
}
