import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { DB } from '../db';
import { auditEvents, users } from '../db/schema';

export type AuditFilter = {
	action?: string;
	actor?: string;
	targetType?: string;
	from?: Date;
	to?: Date;
};

export const AUDIT_PAGE_SIZE = 50;

export function listAuditEvents(db: DB, filter: AuditFilter, page: number) {
	const conditions: SQL[] = [];
	if (filter.action) conditions.push(eq(auditEvents.action, filter.action));
	if (filter.targetType) conditions.push(eq(auditEvents.targetType, filter.targetType));
	if (filter.actor) conditions.push(eq(users.username, filter.actor.toLowerCase()));
	if (filter.from) conditions.push(gte(auditEvents.createdAt, filter.from));
	if (filter.to) conditions.push(lt(auditEvents.createdAt, filter.to));
	const where = conditions.length ? and(...conditions) : undefined;

	const total =
		db
			.select({ n: sql<number>`count(*)` })
			.from(auditEvents)
			.leftJoin(users, eq(users.id, auditEvents.actorId))
			.where(where)
			.get()?.n ?? 0;
	const rows = db
		.select({
			id: auditEvents.id,
			action: auditEvents.action,
			targetType: auditEvents.targetType,
			targetId: auditEvents.targetId,
			oldValue: auditEvents.oldValue,
			newValue: auditEvents.newValue,
			createdAt: auditEvents.createdAt,
			actor: users.username
		})
		.from(auditEvents)
		.leftJoin(users, eq(users.id, auditEvents.actorId))
		.where(where)
		.orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
		.limit(AUDIT_PAGE_SIZE)
		.offset((Math.max(1, page) - 1) * AUDIT_PAGE_SIZE)
		.all();
	return { rows, total, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) };
}

/** The distinct actions and target types, for the filter menus. */
export function auditFacets(db: DB) {
	const actions = db
		.selectDistinct({ v: auditEvents.action })
		.from(auditEvents)
		.orderBy(auditEvents.action)
		.all();
	const targetTypes = db
		.selectDistinct({ v: auditEvents.targetType })
		.from(auditEvents)
		.orderBy(auditEvents.targetType)
		.all();
	return { actions: actions.map((r) => r.v), targetTypes: targetTypes.map((r) => r.v) };
}

/** One event as the log lists it, before its ids are named. */
export type AuditRow = ReturnType<typeof listAuditEvents>['rows'][number];
