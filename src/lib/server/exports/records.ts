import { desc, eq, sql } from 'drizzle-orm';
import { inWriteTransaction } from '../db/write';
import { recordAudit } from '../audit';
import type { DB } from '../db';
import { batches, exportBatches, exports, users, type Export } from '../db/schema';
import type { DropReason } from './select';

/**
 * The record of each export: immutable once written, so any training file can be traced to who
 * made it, from which batches, with which settings, and checked against its hash.
 */

export type ExportCounts = {
	itemsIn: number;
	itemsOut: Partial<Record<DropReason, number>>;
	/** Lines in the file (CSV: data rows, without the header). */
	rows: number;
};

/** A written export as it will be recorded: everything but its id and its dataset card. */
export type ExportFields = Omit<Export, 'id' | 'card'>;

/**
 * Records an export whose file is written, with the batches it read and its audit event, in one
 * transaction. `beforeInsert` runs first under the write lock: the last checks, and putting the
 * file in place, so that no other connection ever sees the file without its record. `writeCard`
 * gets the record with its id, since the card names the export.
 */
export function createExportRecord(
	db: DB,
	fields: ExportFields,
	batchIds: readonly number[],
	steps: {
		beforeInsert: () => void;
		writeCard: (record: ExportFields & { id: number }) => string;
	}
): Export {
	// Immediate: the write lock is taken before anything is read, so the checks hold until the commit.
	return inWriteTransaction(db, (tx) => {
		steps.beforeInsert();
		// A record is never updated (a trigger refuses it), so the id is taken before the
		// insert; the write lock makes it safe.
		const id =
			(tx.get<{ seq: number } | undefined>(
				sql`select seq from sqlite_sequence where name = 'exports'`
			)?.seq ?? 0) + 1;
		const record = { id, ...fields };
		const row = tx
			.insert(exports)
			.values({ ...record, card: steps.writeCard(record) })
			.returning()
			.get();
		for (const batchId of batchIds) {
			tx.insert(exportBatches).values({ exportId: row.id, batchId }).run();
		}
		recordAudit(tx, {
			actorId: fields.createdBy,
			action: 'export.create',
			targetType: 'export',
			targetId: row.id,
			newValue: {
				format: fields.format,
				batches: batchIds,
				rows: fields.rowCount,
				sha256: fields.sha256
			}
		});
		return row;
	});
}

export function listExports(db: DB, limit = 100) {
	return db
		.select({
			id: exports.id,
			format: exports.format,
			settings: exports.settings,
			rowCount: exports.rowCount,
			itemsIn: exports.itemsIn,
			sha256: exports.sha256,
			bytes: exports.bytes,
			createdAt: exports.createdAt,
			createdBy: users.username,
			batches: sql<string>`(select group_concat(b.name, ', ') from export_batches eb join batches b on b.id = eb.batch_id where eb.export_id = ${exports.id})`
		})
		.from(exports)
		.leftJoin(users, eq(users.id, exports.createdBy))
		.orderBy(desc(exports.id))
		.limit(limit)
		.all();
}

export function getExport(db: DB, id: number) {
	const record = db
		.select({ run: exports, createdBy: users.username })
		.from(exports)
		.leftJoin(users, eq(users.id, exports.createdBy))
		.where(eq(exports.id, id))
		.get();
	if (!record) return null;
	const exported = db
		.select({ id: batches.id, name: batches.name })
		.from(exportBatches)
		.innerJoin(batches, eq(batches.id, exportBatches.batchId))
		.where(eq(exportBatches.exportId, id))
		.orderBy(batches.id)
		.all();
	return { ...record.run, createdBy: record.createdBy, batches: exported };
}

/** True once any export has read the batch: from then on its adjudications are final. */
export function isBatchExported(db: DB, batchId: number): boolean {
	return (
		(db
			.select({ n: sql<number>`count(*)` })
			.from(exportBatches)
			.where(eq(exportBatches.batchId, batchId))
			.get()?.n ?? 0) > 0
	);
}
