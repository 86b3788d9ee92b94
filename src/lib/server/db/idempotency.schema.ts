import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth.schema';

/**
 * The `Idempotency-Key`s API clients sent, per user, kept for a day (idempotency/): a retried
 * request with the same key and body gets the first answer again instead of running twice.
 */
export const idempotencyKeys = sqliteTable(
	'idempotency_keys',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		/** SHA-256 of the method, path and body: the same key for another request is refused. */
		requestHash: text('request_hash').notNull(),
		/** The first answer, replayed to retries; both null while that request is still running. */
		status: integer('status'),
		response: text('response'),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		uniqueIndex('idempotency_keys_user_key_idx').on(t.userId, t.key),
		index('idempotency_keys_created_idx').on(t.createdAt)
	]
);

export type IdempotencyKey = typeof idempotencyKeys.$inferSelect;
