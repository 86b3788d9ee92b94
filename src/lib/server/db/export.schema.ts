import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth.schema';
import { batches, items } from './batch.schema';

export const ADJUDICATION_DECISIONS = ['order', 'exclude'] as const;
export type AdjudicationDecision = (typeof ADJUDICATION_DECISIONS)[number];

/**
 * A lead's final word on one item: a ranking that replaces the reviewers' consensus, or
 * exclusion from export. One per item; changing it is audited.
 */
export const adjudications = sqliteTable(
	'adjudications',
	{
		itemId: integer('item_id')
			.primaryKey()
			.references(() => items.id, { onDelete: 'cascade' }),
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' }),
		decision: text('decision', { enum: ADJUDICATION_DECISIONS }).notNull(),
		/** Groups of tied response ids, best first; null when the item is excluded. */
		finalOrder: text('final_order', { mode: 'json' }).$type<number[][] | null>(),
		note: text('note').notNull(),
		decidedBy: integer('decided_by').references(() => users.id, { onDelete: 'set null' }),
		decidedAt: integer('decided_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		index('adjudications_batch_idx').on(t.batchId),
		check('adjudications_decision_check', sql`${t.decision} in ('order', 'exclude')`)
	]
);

/**
 * One export, immutable once written: what was asked for, by whom, and a hash of the file,
 * so any training file can be traced back and reproduced.
 */
export const exports = sqliteTable('exports', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	format: text('format').notNull(),
	/** The options exactly as validated: strategy, filters, locked-only. */
	settings: text('settings', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
	rowCount: integer('row_count').notNull(),
	itemsIn: integer('items_in').notNull(),
	/** Items left out, by reason. */
	itemsOut: text('items_out', { mode: 'json' }).notNull().$type<Record<string, number>>(),
	sha256: text('sha256').notNull(),
	bytes: integer('bytes').notNull(),
	/** The file's name under the exports directory. */
	fileName: text('file_name').notNull(),
	/** The dataset card, in markdown. */
	card: text('card').notNull(),
	createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
	createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull()
});

/** Which batches an export read: once a batch is exported, its adjudications are final. */
export const exportBatches = sqliteTable(
	'export_batches',
	{
		exportId: integer('export_id')
			.notNull()
			.references(() => exports.id, { onDelete: 'cascade' }),
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' })
	},
	(t) => [
		primaryKey({ columns: [t.exportId, t.batchId] }),
		index('export_batches_batch_idx').on(t.batchId)
	]
);

export type Adjudication = typeof adjudications.$inferSelect;
export type Export = typeof exports.$inferSelect;
