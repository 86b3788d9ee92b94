import type Database from 'better-sqlite3';
import type { AppDB } from '../../db';
import { statement } from '../../db/statements';
import { hasSeveralTraits, TallyDelta } from './delta';
import { readTallyItem } from './item-read';
import { itemState, readItemState, sameState, writeItemState } from './state';

/**
 * Brings the tallies up to date with one item, after a write that changes its submitted
 * reviews or its decision: its old share comes out, its new one goes in. Call it inside the
 * write's transaction, so that the tallies are never out of step with what they count, even
 * after a crash. Costs a read of the one item and a few dozen upserts.
 *
 * A decision and a review import call this at once: they are rare, and a lead who makes them
 * reads the tallies next. A researcher's submit or edit only marks the item stale (stale.ts).
 */
export function refreshItemTallies(db: Pick<AppDB, '$client'>, batchId: number, itemId: number) {
	refreshBatchItems(db.$client, batchId, [itemId]);
}

/**
 * Brings the tallies up to date with several items of one batch. Their changes are summed in
 * one TallyDelta and written once: the batch's, its traits' and its reviewers' cell rows are
 * rewritten once for all of them, not once per item. Clears the items' stale marks, if any: the
 * tallies count them exactly now.
 */
export function refreshBatchItems(
	client: Database.Database,
	batchId: number,
	itemIds: readonly number[]
): void {
	const delta = new TallyDelta(batchId, hasSeveralTraits(client, batchId));
	for (const itemId of itemIds) {
		addItemChange(client, delta, batchId, itemId);
		statement(client, `DELETE FROM stale_tallies WHERE batch_id = ? AND item_id = ?`).run(
			batchId,
			itemId
		);
	}
	delta.flush(client);
}

/** Adds to `delta` how the item's share changed since it was last counted, and stores the new. */
function addItemChange(
	client: Database.Database,
	delta: TallyDelta,
	batchId: number,
	itemId: number
): void {
	const found = readTallyItem(client, batchId, itemId);
	if (!found) return;
	const { item, traitId, submitted } = found;
	const next = itemState(item, submitted);
	const old = readItemState(client, itemId);
	if (old && sameState(old, next)) return;
	if (old) delta.addItem(old.traitId, item.responses, old, -1);
	delta.addItem(traitId, item.responses, next, 1);
	writeItemState(client, batchId, itemId, traitId, next);
}
