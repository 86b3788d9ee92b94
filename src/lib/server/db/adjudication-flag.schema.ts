import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth.schema';
import { batches, items } from './batch.schema';

/**
 * An item a lead sent to the disagreement list by hand (from the Judge and position page), so
 * that it is listed, first, even with fewer than two reviews. One per item; removed with it.
 */
export const adjudicationFlags = sqliteTable(
	'adjudication_flags',
	{
		itemId: integer('item_id')
			.primaryKey()
			.references(() => items.id, { onDelete: 'cascade' }),
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' }),
		/** Where it was sent from, in a word: "judge". */
		reason: text('reason').notNull(),
		flaggedBy: integer('flagged_by').references(() => users.id, { onDelete: 'set null' }),
		flaggedAt: integer('flagged_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('adjudication_flags_batch_idx').on(t.batchId)]
);

export type AdjudicationFlag = typeof adjudicationFlags.$inferSelect;
