import { requireVisibleBatch } from '../batches';
import { isValidOverlap, OVERLAP_MAX, OVERLAP_MIN } from '$lib/batch-settings';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import type { AppDB, DB } from '../db';
import { inWriteTransaction } from '../db/write';
import { statement } from '../db/statements';
import { assignments, batches, batchVisible, items, leases, users } from '../db/schema';
import { DomainError } from '../errors';

export function assignResearcher(
	db: DB,
	actorId: number,
	batchId: number,
	userId: number,
	quota: number | null
): void {
	if (quota !== null && (!Number.isInteger(quota) || quota < 1)) {
		throw new DomainError('A quota is a whole number of items, at least 1.', 'quota');
	}
	inWriteTransaction(db, (tx) => {
		const user = tx.select().from(users).where(eq(users.id, userId)).get();
		if (!user || user.disabledAt) throw new DomainError('Choose an active user.', 'userId');
		if (user.external) {
			throw new DomainError('An external reviewer cannot be handed items to review.', 'userId');
		}
		if (
			!tx
				.select()
				.from(batches)
				.where(and(eq(batches.id, batchId), batchVisible))
				.get()
		) {
			throw new DomainError('Choose a batch.', 'batchId');
		}
		const existing = tx
			.select()
			.from(assignments)
			.where(and(eq(assignments.batchId, batchId), eq(assignments.userId, userId)))
			.get();
		if (existing) {
			if (existing.quota === quota) return;
			tx.update(assignments).set({ quota }).where(eq(assignments.id, existing.id)).run();
		} else {
			tx.insert(assignments).values({ batchId, userId, quota, createdBy: actorId }).run();
		}
		recordAudit(tx, {
			actorId,
			action: existing ? 'assignment.quota' : 'assignment.create',
			targetType: 'batch',
			targetId: batchId,
			oldValue: existing ? { userId, quota: existing.quota } : null,
			newValue: { userId, quota }
		});
	});
}

export function removeAssignment(db: DB, actorId: number, batchId: number, userId: number): void {
	inWriteTransaction(db, (tx) => {
		const removed = tx
			.delete(assignments)
			.where(and(eq(assignments.batchId, batchId), eq(assignments.userId, userId)))
			.returning()
			.get();
		if (!removed) return;
		// Their reserved items go back to the pool; their reviews stay.
		tx.delete(leases)
			.where(and(eq(leases.batchId, batchId), eq(leases.userId, userId)))
			.run();
		recordAudit(tx, {
			actorId,
			action: 'assignment.remove',
			targetType: 'batch',
			targetId: batchId,
			oldValue: { userId, quota: removed.quota }
		});
	});
}

/**
 * Reviews wanted per item: never below what some item already has. Lowering it also releases
 * the live claims it leaves no room for, newest first, so that submitted reviews plus live
 * claims stay within the overlap (the queue's promise). Those researchers keep their drafts;
 * submitting one then needs a free slot, as after an expired claim.
 */
export function setOverlap(
	db: DB,
	actorId: number,
	batchId: number,
	overlap: number,
	now = new Date()
): void {
	if (!isValidOverlap(overlap)) {
		throw new DomainError(
			`Reviews per item must be a whole number from ${OVERLAP_MIN} to ${OVERLAP_MAX}.`,
			'overlap'
		);
	}
	inWriteTransaction(db, (tx) => {
		const batch = requireVisibleBatch(tx, batchId);
		const most =
			tx
				.select({ n: sql<number>`coalesce(max(${items.submittedCount}), 0)` })
				.from(items)
				.where(eq(items.batchId, batchId))
				.get()?.n ?? 0;
		if (overlap < most) {
			throw new DomainError(
				`Some items already have ${most} submitted reviews: reviews per item cannot go below ${most}.`,
				'overlap'
			);
		}
		if (overlap === batch.overlap) return;
		tx.update(batches).set({ overlap }).where(eq(batches.id, batchId)).run();
		const released = overlap < batch.overlap ? releaseSurplusLeases(tx, batchId, overlap, now) : 0;
		recordAudit(tx, {
			actorId,
			action: 'batch.overlap',
			targetType: 'batch',
			targetId: batchId,
			oldValue: { overlap: batch.overlap },
			newValue: released ? { overlap, releasedClaims: released } : { overlap }
		});
	});
}

/** Deletes the newest live leases past each item's room under `overlap`; returns how many. */
function releaseSurplusLeases(tx: DB, batchId: number, overlap: number, now: Date): number {
	const live = tx
		.select({
			itemId: leases.itemId,
			userId: leases.userId,
			submitted: items.submittedCount
		})
		.from(leases)
		.innerJoin(items, eq(items.id, leases.itemId))
		.where(and(eq(leases.batchId, batchId), gt(leases.expiresAt, now)))
		.orderBy(asc(leases.itemId), asc(leases.claimedAt), asc(leases.userId))
		.all();
	const kept = new Map<number, number>();
	const surplus: { itemId: number; userId: number }[] = [];
	for (const lease of live) {
		const held = kept.get(lease.itemId) ?? 0;
		if (lease.submitted + held < overlap) kept.set(lease.itemId, held + 1);
		else surplus.push(lease);
	}
	for (const { itemId, userId } of surplus) {
		tx.delete(leases)
			.where(and(eq(leases.itemId, itemId), eq(leases.userId, userId)))
			.run();
	}
	return surplus.length;
}

/** Who is assigned to what, with each person's progress. */
export function listAssignments(db: DB) {
	return db
		.select({
			batchId: assignments.batchId,
			batchName: batches.name,
			batchStatus: batches.status,
			userId: users.id,
			username: users.username,
			displayName: users.displayName,
			quota: assignments.quota,
			submitted: sql<number>`(select count(*) from reviews r where r.batch_id = "assignments"."batch_id" and r.user_id = "assignments"."user_id" and r.status = 'submitted')`,
			skipped: sql<number>`(select count(*) from reviews r where r.batch_id = "assignments"."batch_id" and r.user_id = "assignments"."user_id" and r.status = 'skipped')`,
			itemCount: sql<number>`(select count(*) from items i where i.batch_id = "assignments"."batch_id" and i.response_count > 0)`
		})
		.from(assignments)
		.innerJoin(batches, eq(batches.id, assignments.batchId))
		.innerJoin(users, eq(users.id, assignments.userId))
		.orderBy(asc(batches.name), asc(users.username))
		.all();
}

type AssignedBatch = { id: number; status: string; overlap: number; quota: number | null };

/** The batch as the researcher's assignment sees it; refused when they are not assigned. */
export function requireAssignment(db: AppDB, userId: number, batchId: number): AssignedBatch {
	const row = statement(
		db.$client,
		`SELECT b.id, b.status, b.overlap, a.quota FROM assignments a JOIN batches b ON b.id = a.batch_id
		  WHERE a.batch_id = ? AND a.user_id = ?`
	).get(batchId, userId) as AssignedBatch | undefined;
	if (!row) throw new DomainError('You are not assigned to this batch.', undefined, 403);
	return row;
}
