import { and, eq } from 'drizzle-orm';
import { inWriteTransaction } from '../db/write';
import { recordAudit } from '../audit';
import { requireVisibleBatch } from '../batches';
import type { AppDB, DB } from '../db';
import { batches, items, responses } from '../db/schema';
import { DomainError } from '../errors';
import type { GoldOrder } from '../stats';
import { checkGoldOrder } from './order';
import { GOLD_RATE_MAX } from './turn';

/**
 * A lead's gold marks and the batch's gold rate. Each is one immediate transaction (the CLI or
 * another server may write the same file) that checks, writes and audits, or writes nothing.
 */

/**
 * A locked batch is reviewed and exportable: marking gold there would change what an export
 * of it leaves out after the fact.
 */
function requireChangeableBatch(db: DB, batchId: number) {
	const batch = requireVisibleBatch(db, batchId);
	if (batch.status === 'locked') {
		throw new DomainError(
			'This batch is locked: its gold items can no longer change.',
			undefined,
			409
		);
	}
	return batch;
}

function requireItem(db: DB, batchId: number, itemId: number) {
	const item = db
		.select({ id: items.id, goldOrder: items.goldOrder })
		.from(items)
		.where(and(eq(items.id, itemId), eq(items.batchId, batchId)))
		.get();
	if (!item) throw new DomainError('There is no such item in this batch.', undefined, 404);
	return item;
}

/** Makes an item gold with an expected order (groups of tied response ids, best first). */
export function markGold(
	db: AppDB,
	actorId: number,
	batchId: number,
	itemId: number,
	order: GoldOrder,
	now = new Date()
): void {
	inWriteTransaction(db, (tx) => {
		requireChangeableBatch(tx, batchId);
		const item = requireItem(tx, batchId, itemId);
		const ids = tx
			.select({ id: responses.id })
			.from(responses)
			.where(eq(responses.itemId, itemId))
			.all()
			.map((r) => r.id);
		checkGoldOrder(order, ids);
		const goldOrder = order.map((group) => [...group]);
		tx.update(items).set({ goldOrder }).where(eq(items.id, itemId)).run();
		recordAudit(
			tx,
			{
				actorId,
				action: item.goldOrder ? 'item.gold.change' : 'item.gold.mark',
				targetType: 'item',
				targetId: itemId,
				oldValue: item.goldOrder ? { order: item.goldOrder } : null,
				newValue: { order: goldOrder }
			},
			now
		);
	});
}

/** Makes a gold item ordinary again; its reviews stay, and count as ordinary reviews. */
export function unmarkGold(
	db: AppDB,
	actorId: number,
	batchId: number,
	itemId: number,
	now = new Date()
): void {
	inWriteTransaction(db, (tx) => {
		requireChangeableBatch(tx, batchId);
		const item = requireItem(tx, batchId, itemId);
		if (!item.goldOrder) throw new DomainError('This item is not a gold item.');
		tx.update(items).set({ goldOrder: null }).where(eq(items.id, itemId)).run();
		recordAudit(
			tx,
			{
				actorId,
				action: 'item.gold.unmark',
				targetType: 'item',
				targetId: itemId,
				oldValue: { order: item.goldOrder },
				newValue: null
			},
			now
		);
	});
}

/**
 * Every item with both a GOOD and a BAD reference response becomes gold: its GOOD responses
 * tied above its BAD ones (OK and unlabelled responses are left out of the order). Items already
 * gold keep the order a lead gave them.
 */
export function markGoldFromReferences(
	db: AppDB,
	actorId: number,
	batchId: number,
	now = new Date()
): { marked: number; kept: number } {
	return inWriteTransaction(db, (tx) => {
		requireChangeableBatch(tx, batchId);
		const labelled = (label: 'good' | 'bad') =>
			`json((SELECT json_group_array(id) FROM (SELECT id FROM responses
			   WHERE item_id = items.id AND reference_label = '${label}' ORDER BY position)))`;
		const hasBoth = `EXISTS (SELECT 1 FROM responses WHERE item_id = items.id AND reference_label = 'good')
			AND EXISTS (SELECT 1 FROM responses WHERE item_id = items.id AND reference_label = 'bad')`;
		const client = db.$client;
		const kept = (
			client
				.prepare(
					`SELECT count(*) AS n FROM items WHERE batch_id = ? AND gold_order IS NOT NULL AND ${hasBoth}`
				)
				.get(batchId) as { n: number }
		).n;
		const marked = client
			.prepare(
				`UPDATE items SET gold_order = json_array(${labelled('good')}, ${labelled('bad')})
				  WHERE batch_id = ? AND gold_order IS NULL AND ${hasBoth}`
			)
			.run(batchId).changes;
		recordAudit(
			tx,
			{
				actorId,
				action: 'batch.gold.references',
				targetType: 'batch',
				targetId: batchId,
				newValue: { marked, kept }
			},
			now
		);
		return { marked, kept };
	});
}

/** The chance (0 to GOLD_RATE_MAX) that a claim in this batch hands out a gold item. */
export function setGoldRate(
	db: AppDB,
	actorId: number,
	batchId: number,
	rate: number,
	now = new Date()
): void {
	if (!Number.isFinite(rate) || rate < 0 || rate > GOLD_RATE_MAX) {
		throw new DomainError(
			`The gold rate is a share from 0 to ${GOLD_RATE_MAX * 100}%.`,
			'goldRate'
		);
	}
	inWriteTransaction(db, (tx) => {
		const batch = requireVisibleBatch(tx, batchId);
		tx.update(batches).set({ goldRate: rate }).where(eq(batches.id, batchId)).run();
		recordAudit(
			tx,
			{
				actorId,
				action: 'batch.gold.rate',
				targetType: 'batch',
				targetId: batchId,
				oldValue: { goldRate: batch.goldRate },
				newValue: { goldRate: rate }
			},
			now
		);
	});
}
