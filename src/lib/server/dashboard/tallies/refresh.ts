import type { AppDB } from '../../db';
import { hasSeveralTraits, TallyDelta } from './delta';
import { readTallyItem } from './item-read';
import { itemState, readItemState, sameState, writeItemState } from './state';

/**
 * Brings the tallies up to date with one item, after a write that changes its submitted
 * reviews or its decision: its old share comes out, its new one goes in. Call it inside the
 * write's transaction, so that the tallies are never out of step with what they count, even
 * after a crash. Costs a read of the one item and a few dozen upserts.
 */
export function refreshItemTallies(db: Pick<AppDB, '$client'>, batchId: number, itemId: number) {
	const client = db.$client;
	const found = readTallyItem(client, batchId, itemId);
	if (!found) return;
	const { item, traitId, submitted } = found;
	const next = itemState(item, submitted);
	const old = readItemState(client, itemId);
	if (old && sameState(old, next)) return;
	const delta = new TallyDelta(batchId, hasSeveralTraits(client, batchId));
	if (old) delta.addItem(old.traitId, item.responses, old, -1);
	delta.addItem(traitId, item.responses, next, 1);
	delta.flush(client);
	writeItemState(client, batchId, itemId, traitId, next);
}
