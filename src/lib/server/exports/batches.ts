import { and, count, eq, inArray } from 'drizzle-orm';
import { findBatchByName } from '../batches';
import type { DB } from '../db';
import { batches, batchVisible, items as itemsTable, reviews as reviewsTable } from '../db/schema';
import { DomainError } from '../errors';
import type { ExportOptions } from './options';

/** A batch an export reads, with its items and its submitted reviews (the dataset card's counts). */
export type ExportBatch = {
	id: number;
	name: string;
	status: string;
	items: number;
	reviews: number;
};

/**
 * The ids of batches given by name, as the API and the command line take them, in the order
 * named. A name that matches no batch is refused, by name.
 */
export function resolveBatchNames(db: DB, names: readonly string[]): number[] {
	return names.map((name) => {
		const batch = findBatchByName(db, name);
		if (!batch) throw new DomainError(`There is no batch named "${name}".`, 'batches', 404);
		return batch.id;
	});
}

/** The batches an export reads, checked: they exist, and are locked unless asked otherwise. */
export function resolveExportBatches(
	db: DB,
	options: Pick<ExportOptions, 'batchIds' | 'lockedOnly'>
): { batches: ExportBatch[]; warnings: string[] } {
	const counts = countBatchContents(db, options.batchIds);
	const found = db
		.select({ id: batches.id, name: batches.name, status: batches.status })
		.from(batches)
		.where(and(inArray(batches.id, options.batchIds), batchVisible))
		.orderBy(batches.id)
		.all()
		.map((batch) => ({
			...batch,
			items: counts.items.get(batch.id) ?? 0,
			reviews: counts.reviews.get(batch.id) ?? 0
		}));
	const missing = options.batchIds.filter((id) => !found.some((b) => b.id === id));
	if (missing.length > 0) throw new DomainError(`There is no batch with id ${missing.join(', ')}.`);
	const unlocked = found.filter((b) => b.status !== 'locked');
	if (unlocked.length > 0 && options.lockedOnly) {
		throw new DomainError(
			`${unlocked.map((b) => `"${b.name}"`).join(', ')} ${unlocked.length > 1 ? 'are' : 'is'} not locked. Lock ${unlocked.length > 1 ? 'them' : 'it'} first, or include unlocked batches.`,
			'lockedOnly'
		);
	}
	const warnings = unlocked.map(
		(b) =>
			`"${b.name}" is ${b.status}, not locked: its reviews can still change, so this export describes them only as they are now.`
	);
	return { batches: found, warnings };
}

/**
 * Items and submitted reviews per batch, each counted by a grouped query. A correlated subquery
 * written with `${batches.id}` once rendered as a bare "id", which inside the subquery meant the
 * item's own id: every batch counted 1 item.
 */
function countBatchContents(db: DB, batchIds: readonly number[]) {
	const ids = [...batchIds];
	const items = db
		.select({ batchId: itemsTable.batchId, n: count() })
		.from(itemsTable)
		.where(inArray(itemsTable.batchId, ids))
		.groupBy(itemsTable.batchId)
		.all();
	const reviews = db
		.select({ batchId: reviewsTable.batchId, n: count() })
		.from(reviewsTable)
		.where(and(inArray(reviewsTable.batchId, ids), eq(reviewsTable.status, 'submitted')))
		.groupBy(reviewsTable.batchId)
		.all();
	const byBatch = (rows: { batchId: number; n: number }[]) =>
		new Map(rows.map((row) => [row.batchId, row.n]));
	return { items: byBatch(items), reviews: byBatch(reviews) };
}
