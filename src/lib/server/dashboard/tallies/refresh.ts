import type { AppDB } from '../../db';
import { statement } from '../../db/statements';
import { readItem } from '../../item-records';
import { TallyDelta } from './delta';
import { itemState, readItemState, sameState, writeItemState } from './state';

/**
 * Brings the tallies up to date with one item, after a write that changes its submitted
 * reviews or its decision: its old share comes out, its new one goes in. Call it inside the
 * write's transaction, so that the tallies are never out of step with what they count, even
 * after a crash. Costs a read of the one item and a few dozen upserts.
 */
export function refreshItemTallies(db: Pick<AppDB, '$client'>, batchId: number, itemId: number) {
	const client = db.$client;
	const row = statement(
		client,
		`SELECT trait_id, submitted_count FROM items WHERE id = ? AND batch_id = ?`
	).get(itemId, batchId) as { trait_id: number; submitted_count: number } | undefined;
	const item = row && readItem(client, batchId, itemId);
	if (!row || !item) return;
	const next = itemState(item, row.submitted_count);
	const old = readItemState(client, itemId);
	if (old && sameState(old, next)) return;
	const delta = new TallyDelta(batchId);
	if (old) delta.addItem(old.traitId, item.responses, old, -1);
	delta.addItem(row.trait_id, item.responses, next, 1);
	delta.flush(client);
	writeItemState(client, batchId, itemId, row.trait_id, next);
}
