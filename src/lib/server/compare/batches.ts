import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DB } from '../db';
import { batches, items, responses } from '../db/schema';

/** A batch as the comparison names it. */
export type ComparedBatch = { id: number; name: string; status: string };

/** The batches asked for that exist, in the order asked, and the ids that matched none. */
export function findBatches(
	db: DB,
	batchIds: readonly number[]
): { found: ComparedBatch[]; missing: number[] } {
	if (batchIds.length === 0) return { found: [], missing: [] };
	const rows = db
		.select({ id: batches.id, name: batches.name, status: batches.status })
		.from(batches)
		.where(inArray(batches.id, [...batchIds]))
		.all();
	const byId = new Map(rows.map((row) => [row.id, row]));
	return {
		found: batchIds.flatMap((id) => byId.get(id) ?? []),
		missing: batchIds.filter((id) => !byId.has(id))
	};
}

/** The models whose responses the batches hold, with how many responses each, by name. */
export function listBatchModels(
	db: DB,
	batchIds: readonly number[]
): { model: string; responses: number }[] {
	if (batchIds.length === 0) return [];
	return db
		.select({ model: sql<string>`${responses.model}`, responses: sql<number>`count(*)` })
		.from(responses)
		.innerJoin(items, eq(items.id, responses.itemId))
		.where(and(inArray(items.batchId, [...batchIds]), isNotNull(responses.model)))
		.groupBy(responses.model)
		.orderBy(asc(responses.model))
		.all();
}
