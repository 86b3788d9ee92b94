import type Database from 'better-sqlite3';
import type { AppDB } from '../../db';
import { statement } from '../../db/statements';
import { inImmediateTransaction } from '../../imports/chunks';
import { nextTurn } from '../../item-records';
import { refreshBatchItems } from './refresh';

/**
 * Stale marks: a researcher's submit or edit no longer refreshes the item's tallies inside its
 * transaction (a sixth of the server's busy time under load, and longer group commits). It
 * marks the item stale instead, in the same transaction, and the marks are refreshed later, a
 * batch's items together: by the refresher (refresher.ts) in the background, and by
 * ensureBatchTallies before anything reads the batch's tallies, so every reader sees them
 * exact. The mark commits with the write, so a crash before the refresh loses nothing.
 *
 * The refreshes commit unsynced (inImmediateTransaction's `unsynced`): the tallies are derived,
 * and the marks they clear go in the same transaction, so a commit lost to a power cut only
 * leaves the marks for next time. The server's thread never waits for a sync of the log here.
 */

/** Items per transaction when a reader waits for a batch to be exact. */
const READER_CHUNK_ITEMS = 200;

/** Marks the item's tallies stale; call it inside the write's transaction. */
export function markItemStale(client: Database.Database, batchId: number, itemId: number): void {
	statement(client, `INSERT OR IGNORE INTO stale_tallies (batch_id, item_id) VALUES (?, ?)`).run(
		batchId,
		itemId
	);
}

/** Whether any item (of the batch, if given) waits for a refresh; one step down an index. */
export function hasStaleTallies(client: Database.Database, batchId?: number): boolean {
	const found =
		batchId === undefined
			? statement(client, `SELECT 1 FROM stale_tallies LIMIT 1`).get()
			: statement(client, `SELECT 1 FROM stale_tallies WHERE batch_id = ? LIMIT 1`).get(batchId);
	return found !== undefined;
}

/**
 * Refreshes up to `limit` stale items (of one batch, if given), in the current transaction,
 * and clears their marks: the items of one batch share one TallyDelta and one write of its
 * cells (refreshBatchItems). Returns how many marks it took: fewer than `limit` means none
 * were left.
 */
export function refreshStaleTallies(
	db: Pick<AppDB, '$client'>,
	options: { limit: number; batchId?: number }
): number {
	const client = db.$client;
	const marks = (
		options.batchId === undefined
			? statement(
					client,
					`SELECT batch_id, item_id FROM stale_tallies ORDER BY batch_id, item_id LIMIT ?`
				)
					.raw()
					.all(options.limit)
			: statement(
					client,
					`SELECT batch_id, item_id FROM stale_tallies WHERE batch_id = ? ORDER BY item_id LIMIT ?`
				)
					.raw()
					.all(options.batchId, options.limit)
	) as [number, number][];
	const byBatch = new Map<number, number[]>();
	for (const [batchId, itemId] of marks) {
		const items = byBatch.get(batchId);
		if (items) items.push(itemId);
		else byBatch.set(batchId, [itemId]);
	}
	for (const [batchId, itemIds] of byBatch) refreshBatchItems(client, batchId, itemIds);
	return marks.length;
}

/**
 * Refreshes every stale item of the batch, a bounded number per unsynced transaction, letting
 * the server answer others between them. Writes that arrive meanwhile may mark more; those
 * are taken too, and a chunk finds all of them as long as fewer arrive per turn than it takes.
 */
export async function refreshStaleBatch(
	db: Pick<AppDB, '$client'>,
	batchId: number,
	chunkItems = READER_CHUNK_ITEMS
): Promise<void> {
	const client = db.$client;
	while (hasStaleTallies(client, batchId)) {
		const taken = await inImmediateTransaction(
			client,
			() => refreshStaleTallies(db, { limit: chunkItems, batchId }),
			{ unsynced: true }
		);
		if (taken < chunkItems) return;
		await nextTurn();
	}
}
