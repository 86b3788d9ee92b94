import { and, asc, desc, eq, like, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from './audit';
import type { DB } from './db';
import { inWriteTransaction } from './db/write';
import {
	batches,
	batchVisible,
	constitutions,
	items,
	responses,
	traits,
	traitVersions,
	type Batch
} from './db/schema';
import { DomainError } from './errors';

export function listBatches(db: DB) {
	return db
		.select({
			id: batches.id,
			name: batches.name,
			status: batches.status,
			overlap: batches.overlap,
			createdAt: batches.createdAt,
			constitution: constitutions.name,
			itemCount: sql<number>`(select count(*) from items i where i.batch_id = "batches"."id")`
		})
		.from(batches)
		.innerJoin(constitutions, eq(constitutions.id, batches.constitutionId))
		.where(batchVisible)
		.orderBy(desc(batches.createdAt), desc(batches.id))
		.all();
}

export function getBatch(db: DB, batchId: number) {
	return db
		.select({ batch: batches, constitution: { id: constitutions.id, name: constitutions.name } })
		.from(batches)
		.innerJoin(constitutions, eq(constitutions.id, batches.constitutionId))
		.where(and(eq(batches.id, batchId), batchVisible))
		.get();
}

export function findBatchByName(db: DB, name: string) {
	return db
		.select()
		.from(batches)
		.where(and(eq(batches.name, name.trim()), batchVisible))
		.get();
}

/** The batch, or a 404 when there is none or it is still being imported (nobody sees those). */
export function requireVisibleBatch(db: DB, batchId: number): Batch {
	const batch = db
		.select()
		.from(batches)
		.where(and(eq(batches.id, batchId), batchVisible))
		.get();
	if (!batch) throw new DomainError('There is no such batch.', undefined, 404);
	return batch;
}

/**
 * draft → open: reviewers can be handed its items from now on. No actor: the command line
 * without --as.
 */
export function openBatch(db: DB, actorId: number | null, batchId: number): void {
	inWriteTransaction(db, (tx) => {
		const batch = requireVisibleBatch(tx, batchId);
		if (batch.status !== 'draft') {
			throw new DomainError(`The batch is ${batch.status}; only a draft batch can be opened.`);
		}
		tx.update(batches)
			.set({ status: 'open', openedAt: new Date() })
			.where(eq(batches.id, batchId))
			.run();
		recordAudit(tx, {
			actorId,
			action: 'batch.open',
			targetType: 'batch',
			targetId: batchId,
			oldValue: { status: 'draft' },
			newValue: { status: 'open' }
		});
	});
}

export type ItemFilter = { traitId?: number; model?: string; q?: string };
export const ITEM_PAGE_SIZE = 50;

function itemConditions(batchId: number, filter: ItemFilter): SQL | undefined {
	const conditions: (SQL | undefined)[] = [eq(items.batchId, batchId)];
	if (filter.traitId) conditions.push(eq(items.traitId, filter.traitId));
	if (filter.model) {
		conditions.push(
			sql`exists (select 1 from responses r where r.item_id = "items"."id" and r.model = ${filter.model})`
		);
	}
	if (filter.q) {
		// LIKE's wildcards in the search text are meant literally.
		const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		conditions.push(
			sql`(${like(items.promptText, pattern)} escape '\\' or exists (select 1 from responses r where r.item_id = "items"."id" and r.content like ${pattern} escape '\\'))`
		);
	}
	return and(...conditions);
}

export function listItems(db: DB, batchId: number, filter: ItemFilter, page: number) {
	const where = itemConditions(batchId, filter);
	const total =
		db
			.select({ n: sql<number>`count(*)` })
			.from(items)
			.where(where)
			.get()?.n ?? 0;
	const rows = db
		.select({
			id: items.id,
			externalId: items.externalId,
			promptText: sql<string>`substr(${items.promptText}, 1, 240)`,
			responseCount: items.responseCount,
			traitKey: traits.key,
			traitTitle: traitVersions.title
		})
		.from(items)
		.innerJoin(traits, eq(traits.id, items.traitId))
		.innerJoin(traitVersions, eq(traitVersions.id, items.traitVersionId))
		.where(where)
		.orderBy(asc(items.id))
		.limit(ITEM_PAGE_SIZE)
		.offset((Math.max(1, page) - 1) * ITEM_PAGE_SIZE)
		.all();
	return { rows, total, pages: Math.max(1, Math.ceil(total / ITEM_PAGE_SIZE)) };
}

/** The traits and models present in a batch, for its filter menus. */
export function batchFacets(db: DB, batchId: number) {
	const traitRows = db
		.selectDistinct({ id: traits.id, key: traits.key })
		.from(items)
		.innerJoin(traits, eq(traits.id, items.traitId))
		.where(eq(items.batchId, batchId))
		.orderBy(asc(traits.key))
		.all();
	const modelRows = db
		.selectDistinct({ model: responses.model })
		.from(responses)
		.innerJoin(items, eq(items.id, responses.itemId))
		.where(and(eq(items.batchId, batchId), sql`${responses.model} is not null`))
		.orderBy(asc(responses.model))
		.all();
	return { traits: traitRows, models: modelRows.map((r) => r.model as string) };
}

export function getItem(db: DB, batchId: number, itemId: number) {
	const item = db
		.select({
			item: items,
			trait: { id: traits.id, key: traits.key },
			traitVersion: traitVersions
		})
		.from(items)
		.innerJoin(traits, eq(traits.id, items.traitId))
		.innerJoin(traitVersions, eq(traitVersions.id, items.traitVersionId))
		.where(and(eq(items.id, itemId), eq(items.batchId, batchId)))
		.get();
	if (!item) return undefined;
	const rows = db
		.select()
		.from(responses)
		.where(eq(responses.itemId, itemId))
		.orderBy(asc(responses.position))
		.all();
	return { ...item, responses: rows };
}

export type LockCheck = { incompleteItems: number; missingReviews: number };

/** What stands between a batch and being fully reviewed: items short of their overlap. */
export function checkLockable(db: DB, batchId: number): LockCheck {
	const row = db.get<{ items: number | null; missing: number | null }>(sql`
		select count(*) as items, sum(b.overlap - i.submitted_count) as missing
		  from items i join batches b on b.id = i.batch_id
		 where i.batch_id = ${batchId} and i.response_count > 0 and i.submitted_count < b.overlap`);
	return { incompleteItems: row?.items ?? 0, missingReviews: row?.missing ?? 0 };
}

/**
 * open → locked: reviewed, exportable, no more edits. Locking a batch whose items do not all
 * have their reviews needs `confirmIncomplete`, so nobody locks one by accident.
 */
export function lockBatch(
	db: DB,
	actorId: number,
	batchId: number,
	confirmIncomplete = false
): { locked: true } | { locked: false; missing: LockCheck } {
	return inWriteTransaction(db, (tx) => {
		const batch = requireVisibleBatch(tx, batchId);
		if (batch.status !== 'open') {
			throw new DomainError(`The batch is ${batch.status}; only an open batch can be locked.`);
		}
		const missing = checkLockable(tx, batchId);
		if (missing.incompleteItems > 0 && !confirmIncomplete) return { locked: false, missing };
		tx.update(batches)
			.set({ status: 'locked', lockedAt: new Date() })
			.where(eq(batches.id, batchId))
			.run();
		// Nothing more can be reviewed: reserved items are released.
		tx.run(sql`delete from leases where batch_id = ${batchId}`);
		recordAudit(tx, {
			actorId,
			action: 'batch.lock',
			targetType: 'batch',
			targetId: batchId,
			oldValue: { status: 'open' },
			newValue: {
				status: 'locked',
				...(missing.incompleteItems > 0 && { lockedIncomplete: missing })
			}
		});
		return { locked: true as const };
	});
}

/** locked → open, for admins only (the route checks the role); audited. */
export function unlockBatch(db: DB, actorId: number, batchId: number): void {
	inWriteTransaction(db, (tx) => {
		const batch = requireVisibleBatch(tx, batchId);
		if (batch.status !== 'locked') throw new DomainError('The batch is not locked.');
		tx.update(batches).set({ status: 'open', lockedAt: null }).where(eq(batches.id, batchId)).run();
		recordAudit(tx, {
			actorId,
			action: 'batch.unlock',
			targetType: 'batch',
			targetId: batchId,
			oldValue: { status: 'locked' },
			newValue: { status: 'open' }
		});
	});
}
