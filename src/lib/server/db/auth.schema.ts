import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { ROLES } from '../../roles';

export const users = sqliteTable(
	'users',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		// Stored lower-cased so that "Alice" and "alice" are the same account.
		username: text('username').notNull().unique(),
		displayName: text('display_name').notNull(),
		passwordHash: text('password_hash').notNull(),
		role: text('role', { enum: ROLES }).notNull(),
		disabledAt: integer('disabled_at', { mode: 'timestamp_ms' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' })
			.notNull()
			.default(sql`(unixepoch('subsec') * 1000)`),
		passwordChangedAt: integer('password_changed_at', { mode: 'timestamp_ms' }),
		/**
		 * A reviewer whose reviews were imported from another tool: they have reviews but no
		 * login, no session and no place in a review queue.
		 */
		external: integer('external', { mode: 'boolean' }).notNull().default(false)
	},
	(t) => [check('users_role_check', sql`${t.role} in ('researcher', 'lead', 'admin')`)]
);

export const sessions = sqliteTable(
	'sessions',
	{
		// The public half of the token; the secret half is only ever stored as a SHA-256 hash.
		id: text('id').primaryKey(),
		secretHash: text('secret_hash').notNull(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;

/** API tokens act with their owner's role. Only a hash is kept; the token is shown once. */
export const apiTokens = sqliteTable(
	'api_tokens',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		/** The first characters, to tell tokens apart in lists; not enough to guess the rest. */
		prefix: text('prefix').notNull(),
		tokenHash: text('token_hash').notNull().unique(),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
		revokedAt: integer('revoked_at', { mode: 'timestamp_ms' })
	},
	(t) => [index('api_tokens_user_idx').on(t.userId)]
);

export type ApiToken = typeof apiTokens.$inferSelect;
