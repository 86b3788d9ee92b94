import { inArray, sql } from 'drizzle-orm';
import { findBatchByName } from '../batches';
import type { DB } from '../db';
import { batches } from '../db/schema';
import { DomainError } from '../errors';
import type { ExportOptions } from './options';

export type ExportBatch = { id: number; name: string; status: string; items: number };

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
	const found = db
		.select({
			id: batches.id,
			name: batches.name,
			status: batches.status,
			items: sql<number>`(select count(*) from items where items.batch_id = ${batches.id})`
		})
		.from(batches)
		.where(inArray(batches.id, options.batchIds))
		.orderBy(batches.id)
		.all();
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
