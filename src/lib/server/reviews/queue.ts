import { sql } from 'drizzle-orm';
import type { AppDB, DB } from '../db';
import { statement } from '../db/statements';
import { DomainError } from '../errors';
import { isGoldTurn } from '../gold';
import { requireAssignment } from './assignments';

const MINUTE = 60_000;

/** How long a claimed item stays reserved without activity. Each save renews it. */
export function leaseMs(): number {
	const minutes = Number(process.env.REVIEW_LEASE_MINUTES ?? 30);
	return (Number.isFinite(minutes) && minutes > 0 ? minutes : 30) * MINUTE;
}

/** A researcher's place in one batch's queue: reviews done against the items assigned. */
export type QueueProgress = { done: number; assigned: number; submitted: number; skipped: number };

/** Done (submitted or skipped) against assigned (the quota, or every reviewable item). */
export function getQueueProgress(db: DB, userId: number, batchId: number): QueueProgress {
	const row = db.get<{
		submitted: number;
		skipped: number;
		items: number;
		quota: number | null;
	}>(sql`
		select
			(select count(*) from reviews where batch_id = ${batchId} and user_id = ${userId} and status = 'submitted') as submitted,
			(select count(*) from reviews where batch_id = ${batchId} and user_id = ${userId} and status = 'skipped') as skipped,
			(select count(*) from items where batch_id = ${batchId} and response_count > 0) as items,
			(select quota from assignments where batch_id = ${batchId} and user_id = ${userId}) as quota`);
	const submitted = row?.submitted ?? 0;
	const skipped = row?.skipped ?? 0;
	const all = row?.items ?? 0;
	return {
		submitted,
		skipped,
		done: submitted + skipped,
		assigned: row?.quota != null ? Math.min(row.quota, all) : all
	};
}

/** Whether an item has a free slot: submitted reviews plus other people's live leases. */
const HAS_ROOM = `(i.submitted_count + (SELECT count(*) FROM leases l
	WHERE l.item_id = i.id AND l.expires_at > @now AND l.user_id != @user)) < @overlap`;

export function takeLease(
	db: AppDB,
	userId: number,
	batchId: number,
	itemId: number,
	now: Date
): void {
	statement(
		db.$client,
		`INSERT INTO leases (item_id, user_id, batch_id, claimed_at, expires_at) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT (item_id, user_id) DO UPDATE SET expires_at = excluded.expires_at`
	).run(itemId, userId, batchId, now.getTime(), now.getTime() + leaseMs());
}

export function heldLease(db: AppDB, userId: number, itemId: number, now: Date): boolean {
	return Boolean(
		statement(
			db.$client,
			`SELECT 1 FROM leases WHERE item_id = ? AND user_id = ? AND expires_at > ?`
		).get(itemId, userId, now.getTime())
	);
}

export function othersLiveLeases(db: AppDB, itemId: number, userId: number, now: Date): number {
	return (
		statement(
			db.$client,
			`SELECT count(*) AS n FROM leases WHERE item_id = ? AND expires_at > ? AND user_id != ?`
		).get(itemId, now.getTime(), userId) as { n: number }
	).n;
}

export function releaseLease(db: AppDB, userId: number, itemId: number): void {
	statement(db.$client, `DELETE FROM leases WHERE item_id = ? AND user_id = ?`).run(itemId, userId);
}

/** The items a researcher has finished (submitted or skipped) in a batch: what a quota counts. */
export function countDone(db: AppDB, userId: number, batchId: number): number {
	return (
		statement(
			db.$client,
			`SELECT count(*) AS n FROM reviews
			  WHERE user_id = ? AND batch_id = ? AND status IN ('submitted', 'skipped')`
		).get(userId, batchId) as { n: number }
	).n;
}

/**
 * The least-reviewed item the researcher has not done, among ordinary or gold items.
 * HAS_ROOM comes first: it needs only the queue index and one lease lookup, and it is what
 * turns down the items at the front of the order, which everyone else holds under load. SQLite
 * tests the terms in the order written, so those items are passed over without reading their
 * row or the researcher's reviews (half the time of the query with 100 researchers at work).
 */
const nextFresh = (gold: boolean) => `SELECT i.id FROM items i
	WHERE i.batch_id = @batch AND i.submitted_count < @overlap AND ${HAS_ROOM}
	  AND i.gold_order IS ${gold ? 'NOT NULL' : 'NULL'} AND i.response_count > 0
	  AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.item_id = i.id AND r.user_id = @user)
	ORDER BY i.submitted_count, i.shuffle_key, i.id LIMIT 1`;
const NEXT_ORDINARY = nextFresh(false);
const NEXT_GOLD = nextFresh(true);

/** The batch's gold rate, or 0 when it has no gold item (then no draw is needed at all). */
function goldRate(db: AppDB, batchId: number): number {
	const row = statement(
		db.$client,
		`SELECT CASE WHEN EXISTS (SELECT 1 FROM items WHERE batch_id = b.id AND gold_order IS NOT NULL)
		             THEN b.gold_rate ELSE 0 END AS rate
		   FROM batches b WHERE b.id = ?`
	).get(batchId) as { rate: number } | undefined;
	return row?.rate ?? 0;
}

export type Claim = { itemId: number } | { itemId: null; reason: 'quota' | 'empty' };

/**
 * Hands the researcher their next item of a batch, in one transaction: none once their quota
 * is reached; else the item they still hold; else one of their drafts that still has room;
 * else the least-reviewed item they have not done, in a stable random order. An item is never handed out beyond its overlap:
 * submitted reviews plus other people's live leases must leave a slot free.
 * That last pick is a gold item at the batch's gold rate (a seeded draw per researcher, batch
 * and reviews done: see isGoldTurn), else an ordinary one; gold items look like any other.
 */
export function claimNextItem(db: AppDB, userId: number, batchId: number, now = new Date()): Claim {
	const c = db.$client;
	return c
		.transaction((): Claim => {
			const batch = requireAssignment(db, userId, batchId);
			if (batch.status !== 'open') {
				throw new DomainError(
					`This batch is ${batch.status}: it takes no reviews now.`,
					undefined,
					409
				);
			}
			let done: number | undefined;
			const doneCount = () => (done ??= countDone(db, userId, batchId));
			if (batch.quota !== null) {
				if (doneCount() >= batch.quota) {
					// An item still held could not be finished now: its slot goes back to the pool.
					statement(c, `DELETE FROM leases WHERE user_id = ? AND batch_id = ?`).run(
						userId,
						batchId
					);
					return { itemId: null, reason: 'quota' };
				}
			}
			const held = statement(
				c,
				`SELECT item_id FROM leases WHERE user_id = ? AND batch_id = ? AND expires_at > ?
				  ORDER BY claimed_at DESC LIMIT 1`
			).get(userId, batchId, now.getTime()) as { item_id: number } | undefined;
			if (held) {
				takeLease(db, userId, batchId, held.item_id, now);
				return { itemId: held.item_id };
			}
			const params = { user: userId, batch: batchId, now: now.getTime(), overlap: batch.overlap };
			const draft = statement(
				c,
				`SELECT i.id FROM reviews r JOIN items i ON i.id = r.item_id
				  WHERE r.user_id = @user AND r.batch_id = @batch AND r.status = 'draft' AND ${HAS_ROOM}
				  ORDER BY r.updated_at LIMIT 1`
			).get(params) as { id: number } | undefined;
			const rate = draft ? 0 : goldRate(db, batchId);
			const gold = rate > 0 && isGoldTurn(rate, userId, batchId, doneCount());
			// A pool that is used up hands over to the other: gold items are still items that want
			// their reviews, and a researcher is never told "nothing left" while either has room.
			const next =
				draft ??
				(statement(c, gold ? NEXT_GOLD : NEXT_ORDINARY).get(params) as
					{ id: number } | undefined) ??
				(statement(c, gold ? NEXT_ORDINARY : NEXT_GOLD).get(params) as { id: number } | undefined);
			if (!next) return { itemId: null, reason: 'empty' };
			takeLease(db, userId, batchId, next.id, now);
			return { itemId: next.id };
		})
		.immediate();
}

/** Keeps a claimed item reserved while the researcher works on it. */
export function renewLease(db: AppDB, userId: number, itemId: number, now = new Date()): boolean {
	return (
		statement(
			db.$client,
			`UPDATE leases SET expires_at = ? WHERE user_id = ? AND item_id = ? AND expires_at > ?`
		).run(now.getTime() + leaseMs(), userId, itemId, now.getTime()).changes > 0
	);
}
