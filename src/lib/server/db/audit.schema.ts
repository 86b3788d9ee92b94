import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth.schema';

/** Append-only: rows are inserted, never updated or deleted. */
export const auditEvents = sqliteTable(
	'audit_events',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
		action: text('action').notNull(),
		targetType: text('target_type').notNull(),
		targetId: text('target_id'),
		oldValue: text('old_value', { mode: 'json' }),
		newValue: text('new_value', { mode: 'json' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		index('audit_created_idx').on(t.createdAt),
		index('audit_action_idx').on(t.action, t.createdAt),
		index('audit_actor_idx').on(t.actorId, t.createdAt)
	]
);

export type AuditEvent = typeof auditEvents.$inferSelect;
