// The names behind the ids an audit event holds: its target's, and those inside its old and
// new values. Read for a whole page of events at once, one query per kind of thing.
import { eq, inArray } from 'drizzle-orm';
import type { DB } from '../db';
import {
	apiTokens,
	batches,
	constitutions,
	exports,
	items,
	responses,
	reviews,
	traits,
	traitVersions,
	users
} from '../db/schema';
import type { AuditRow } from './list';

export type Named = { label: string; href: string | null };

export type Names = {
	users: Map<number, string>;
	batches: Map<number, string>;
	/** "response A", by position in the imported file, as every page names responses. */
	responses: Map<number, string>;
	/** By "type:id", e.g. "batch:3". */
	targets: Map<string, Named>;
};

/** Fields of old and new values that hold ids, and what they are ids of. */
export const USER_FIELDS = new Set(['userId']);
export const BATCH_LIST_FIELDS = new Set(['batches']);
/** An adjudication's order: groups of tied response ids, best first. */
export const RESPONSE_ORDER_FIELDS = new Set(['order']);
/** A review's snapshot: one value per response, keyed by the response's id. */
export const PER_RESPONSE_FIELDS = new Set(['scores', 'ranks', 'comments']);

export const isRecord = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

export const numericId = (v: unknown): number | null =>
	typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null;

/** The ids of each kind that the events mention, as targets or inside their values. */
function collectIds(rows: AuditRow[]) {
	const ids = new Map<string, Set<number>>();
	const add = (kind: string, v: unknown) => {
		const id = numericId(v);
		if (id === null) return;
		if (!ids.has(kind)) ids.set(kind, new Set());
		ids.get(kind)!.add(id);
	};
	for (const row of rows) {
		add(row.targetType, row.targetId);
		for (const value of [row.oldValue, row.newValue]) {
			if (!isRecord(value)) continue;
			for (const [key, v] of Object.entries(value)) {
				if (USER_FIELDS.has(key)) add('user', v);
				if (BATCH_LIST_FIELDS.has(key) && Array.isArray(v)) v.forEach((id) => add('batch', id));
				if (RESPONSE_ORDER_FIELDS.has(key) && Array.isArray(v))
					v.flat().forEach((id) => add('response', id));
				if (PER_RESPONSE_FIELDS.has(key) && isRecord(v))
					Object.keys(v).forEach((id) => add('response', id));
			}
		}
	}
	return (kind: string) => [...(ids.get(kind) ?? [])];
}

/** Rows of one kind by id, or none without a query when there are no ids. */
function readSome<T>(ids: number[], read: (ids: number[]) => T[]): T[] {
	return ids.length ? read(ids) : [];
}

/** Items named by external id and batch: the targets of adjudications, and of reviews. */
function nameItems(db: DB, itemIds: number[]): Map<number, Named> {
	const rows = readSome(itemIds, (ids) =>
		db
			.select({
				id: items.id,
				externalId: items.externalId,
				batchId: items.batchId,
				batch: batches.name
			})
			.from(items)
			.innerJoin(batches, eq(batches.id, items.batchId))
			.where(inArray(items.id, ids))
			.all()
	);
	return new Map(
		rows.map((i) => [
			i.id,
			{ label: `${i.externalId} in ${i.batch}`, href: `/batches/${i.batchId}/items/${i.id}` }
		])
	);
}

/** Every name a page of events needs. An id whose row is gone simply has no name. */
export function readNames(db: DB, rows: AuditRow[]): Names {
	const ids = collectIds(rows);
	const targets = new Map<string, Named>();
	const put = (type: string, id: number, label: string, href: string | null = null) =>
		targets.set(`${type}:${id}`, { label, href });

	const userRows = readSome(ids('user'), (some) =>
		db
			.select({ id: users.id, name: users.username })
			.from(users)
			.where(inArray(users.id, some))
			.all()
	);
	userRows.forEach((u) => put('user', u.id, u.name, `/admin/users/${u.id}`));
	const batchRows = readSome(ids('batch'), (some) =>
		db
			.select({ id: batches.id, name: batches.name })
			.from(batches)
			.where(inArray(batches.id, some))
			.all()
	);
	batchRows.forEach((b) => put('batch', b.id, b.name, `/batches/${b.id}`));
	const responseRows = readSome(ids('response'), (some) =>
		db
			.select({ id: responses.id, position: responses.position })
			.from(responses)
			.where(inArray(responses.id, some))
			.all()
	);

	readSome(ids('export'), (some) =>
		db.select().from(exports).where(inArray(exports.id, some)).all()
	).forEach((e) => put('export', e.id, e.fileName, `/exports/${e.id}`));
	readSome(ids('constitution'), (some) =>
		db.select().from(constitutions).where(inArray(constitutions.id, some)).all()
	).forEach((c) => put('constitution', c.id, c.name, `/constitutions/${c.id}`));
	// Versions in order, so that the latest title is the one that stays.
	readSome(ids('trait'), (some) =>
		db
			.select({ id: traits.id, constitutionId: traits.constitutionId, title: traitVersions.title })
			.from(traits)
			.innerJoin(traitVersions, eq(traitVersions.traitId, traits.id))
			.where(inArray(traits.id, some))
			.orderBy(traitVersions.version)
			.all()
	).forEach((t) =>
		put('trait', t.id, t.title, `/constitutions/${t.constitutionId}/traits/${t.id}`)
	);
	readSome(ids('api_token'), (some) =>
		db
			.select({ id: apiTokens.id, name: apiTokens.name })
			.from(apiTokens)
			.where(inArray(apiTokens.id, some))
			.all()
	).forEach((t) => put('api_token', t.id, t.name));

	const reviewRows = readSome(ids('review'), (some) =>
		db
			.select({ id: reviews.id, itemId: reviews.itemId })
			.from(reviews)
			.where(inArray(reviews.id, some))
			.all()
	);
	const itemNames = nameItems(db, [...ids('item'), ...reviewRows.map((r) => r.itemId)]);
	for (const [id, item] of itemNames) put('item', id, item.label, item.href);
	for (const r of reviewRows) {
		const item = itemNames.get(r.itemId);
		if (item) put('review', r.id, `review of ${item.label}`, item.href);
	}

	return {
		users: new Map(userRows.map((u) => [u.id, u.name])),
		batches: new Map(batchRows.map((b) => [b.id, b.name])),
		responses: new Map(
			responseRows.map((r) => [r.id, `response ${String.fromCharCode(65 + r.position)}`])
		),
		targets
	};
}
