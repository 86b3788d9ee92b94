import { and, eq } from 'drizzle-orm';
import { inWriteTransaction } from '../db/write';
import { recordAudit } from '../audit';
import type { DB } from '../db';
import { adjudicationFlags, items } from '../db/schema';
import { DomainError } from '../errors';
import { isBatchExported } from '../exports';

/**
 * "Send to adjudication": puts an item on the batch's disagreement list, first, whatever its
 * number of reviews (the list otherwise shows only items with two or more, by spread). Sending
 * an item twice keeps the first sending.
 */
export function sendToAdjudication(
	db: DB,
	actorId: number,
	batchId: number,
	itemId: number,
	now = new Date()
): { externalId: string; alreadyListed: boolean } {
	return inWriteTransaction(db, (tx) => {
		const item = tx
			.select({ externalId: items.externalId })
			.from(items)
			.where(and(eq(items.id, itemId), eq(items.batchId, batchId)))
			.get();
		if (!item) throw new DomainError('There is no such item in this batch.', undefined, 404);
		if (isBatchExported(tx, batchId)) {
			throw new DomainError(
				'This batch has been exported, so its adjudications are final: nothing more can be sent.',
				undefined,
				409
			);
		}
		const inserted = tx
			.insert(adjudicationFlags)
			.values({ itemId, batchId, reason: 'judge', flaggedBy: actorId, flaggedAt: now })
			.onConflictDoNothing()
			.run();
		if (inserted.changes === 0) return { externalId: item.externalId, alreadyListed: true };
		recordAudit(
			tx,
			{
				actorId,
				action: 'adjudication.flag',
				targetType: 'item',
				targetId: itemId,
				newValue: { reason: 'judge' }
			},
			now
		);
		return { externalId: item.externalId, alreadyListed: false };
	});
}

/** The items of a batch sent to adjudication by hand. */
export function flaggedItemIds(db: DB, batchId: number): Set<number> {
	const rows = db
		.select({ itemId: adjudicationFlags.itemId })
		.from(adjudicationFlags)
		.where(eq(adjudicationFlags.batchId, batchId))
		.all();
	return new Set(rows.map((row) => row.itemId));
}
