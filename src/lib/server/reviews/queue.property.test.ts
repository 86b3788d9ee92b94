// The queue's promises, checked after every step of random sessions: six researchers on a
// small batch claim, save, submit, skip, renew, edit and ask for the next item, and also send
// what a browser never would (items they were never handed, items of other batches, writes
// after being removed), while an admin removes and restores assignments and locks batches and
// the clock moves on, so that leases run out. Some items are gold, handed out at a high gold
// rate, and a lead marks and unmarks gold items as the sessions go: gold items keep every promise.
import { mulberry32 } from '$lib/prng';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import { importGeneratedBatch } from '../../../../tests/support/review-batches';
import { lockBatch, unlockBatch } from '../batches';
import type { AppDB } from '../db';
import { DomainError } from '../errors';
import { markGold, setGoldRate, unmarkGold } from '../gold';
import {
	assignResearcher,
	claimNextItem,
	editSubmittedReview,
	removeAssignment,
	renewLease,
	saveDraft,
	skipItem,
	submitReview
} from './index';
import { T0 } from './testing';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const STEPS = 400;
/** Quotas in the main batch, one per researcher (null: no quota). */
const QUOTAS = [null, 2, null, 1, 3, 2];
/** Quotas in the calibration batch (overlap 1); the last two researchers are not assigned. */
const CALIBRATION_QUOTAS = [1, null, 1, null];

type Batch = { id: number; itemIds: number[] };
type World = {
	db: AppDB;
	adminId: number;
	researchers: number[];
	main: Batch;
	calibration: Batch;
	draft: Batch;
};

/** 8 items with overlap 2 for all six, a calibration batch for four of them, a draft batch. */
async function buildWorld(): Promise<World> {
	const db = createTestDb();
	const admin = await makeUser(db, { role: 'admin' });
	const batch = async (options: Parameters<typeof importGeneratedBatch>[2]) => {
		const { batchId, itemIds } = await importGeneratedBatch(db, admin.id, options);
		return { id: batchId, itemIds };
	};
	const world = {
		db,
		adminId: admin.id,
		researchers: [] as number[],
		main: await batch({ items: 8, overlap: 2 }),
		calibration: await batch({ items: 3, overlap: 1, calibration: true }),
		draft: await batch({ items: 3, overlap: 2, draft: true })
	};
	// Three of the main batch's items are gold, and a third of its claims draw gold.
	for (const itemId of world.main.itemIds.slice(0, 3))
		toggleGold(db, admin.id, world.main.id, itemId);
	setGoldRate(db, admin.id, world.main.id, 0.3);
	for (let r = 0; r < QUOTAS.length; r++) {
		const { id } = await makeUser(db, { role: 'researcher' });
		world.researchers.push(id);
		for (const b of [world.main, world.draft, ...(r < 4 ? [world.calibration] : [])])
			assignResearcher(db, admin.id, b.id, id, quotaOf(world, id, b.id));
	}
	return world;
}

/** Marks an item gold (its first response above the rest), or makes a gold one ordinary. */
function toggleGold(db: AppDB, leadId: number, batchId: number, itemId: number) {
	const gold = db.$client.prepare(`SELECT gold_order FROM items WHERE id = ?`).get(itemId) as {
		gold_order: string | null;
	};
	if (gold.gold_order) return unmarkGold(db, leadId, batchId, itemId);
	const ids = (
		db.$client
			.prepare(`SELECT id FROM responses WHERE item_id = ? ORDER BY position`)
			.all(itemId) as {
			id: number;
		}[]
	).map((r) => r.id);
	markGold(db, leadId, batchId, itemId, [[ids[0]], ids.slice(1)]);
}

function quotaOf(world: World, userId: number, batchId: number): number | null {
	const r = world.researchers.indexOf(userId);
	if (batchId === world.main.id) return QUOTAS[r];
	return batchId === world.calibration.id ? (CALIBRATION_QUOTAS[r] ?? null) : null;
}

type Op =
	// A claim is what both Start reviewing and Next item do.
	| { kind: 'claim'; user: number; batchId: number }
	| { kind: 'save' | 'submit' | 'skip' | 'renew' | 'edit'; user: number; itemId: number }
	| { kind: 'tick'; minutes: number }
	| { kind: 'remove' | 'restore'; user: number; batchId: number }
	| { kind: 'lock' | 'unlock'; batchId: number }
	| { kind: 'gold'; itemId: number };

type Admin = { removed: { user: number; batchId: number } | null; locked: number | null };

function pickOp(
	random: () => number,
	world: World,
	handed: Map<number, number[]>,
	admin: Admin
): Op {
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const user = pick(world.researchers);
	const batches = [world.main, world.main, world.calibration, world.draft];
	// The item the queue handed them last, one they have not finished (perhaps a draft whose
	// lease ran out), or any item at all: a crafted request.
	const mine = handed.get(user) ?? [];
	const unfinished = mine.filter((itemId) => !isFinished(world.db, user, itemId));
	const which = random();
	const itemId =
		mine.length && which < 0.35
			? mine.at(-1)!
			: unfinished.length && which < 0.7
				? pick(unfinished)
				: pick(batches.flatMap((b) => b.itemIds));
	const roll = random();
	if (roll < 0.2) return { kind: 'claim', user, batchId: pick(batches).id };
	if (roll < 0.37) return { kind: 'save', user, itemId };
	if (roll < 0.54) return { kind: 'submit', user, itemId };
	if (roll < 0.66) return { kind: 'skip', user, itemId };
	if (roll < 0.72) return { kind: 'renew', user, itemId };
	if (roll < 0.8) return { kind: 'edit', user, itemId };
	if (roll < 0.93) return { kind: 'tick', minutes: 1 + Math.floor(random() * 20) };
	if (roll < 0.94) return { kind: 'gold', itemId: pick(world.main.itemIds) };
	// One removal and one lock at a time, each soon undone, so most steps find work to do.
	if (roll < 0.97)
		return admin.removed
			? { kind: 'restore', ...admin.removed }
			: { kind: 'remove', user, batchId: pick(batches).id };
	if (admin.locked) return { kind: 'unlock', batchId: admin.locked };
	return roll < 0.98
		? { kind: 'lock', batchId: pick([world.main.id, world.calibration.id]) }
		: { kind: 'tick', minutes: 1 };
}

function isGold(db: AppDB, itemId: number): boolean {
	return Boolean(
		db.$client.prepare(`SELECT 1 FROM items WHERE id = ? AND gold_order IS NOT NULL`).get(itemId)
	);
}

function isFinished(db: AppDB, userId: number, itemId: number): boolean {
	return Boolean(
		db.$client
			.prepare(
				`SELECT 1 FROM reviews WHERE user_id = ? AND item_id = ? AND status IN ('submitted', 'skipped')`
			)
			.get(userId, itemId)
	);
}

/** A complete review with random scores (ranks to match), or a part of one for a draft. */
function reviewInput(random: () => number, db: AppDB, itemId: number, complete: boolean) {
	const ids = (
		db.$client
			.prepare(`SELECT id FROM responses WHERE item_id = ? ORDER BY position`)
			.all(itemId) as { id: number }[]
	).map((r) => r.id);
	const scores = Object.fromEntries(ids.map((id) => [id, 1 + Math.floor(random() * 7)]));
	const ranks = Object.fromEntries(
		ids.map((id) => [id, 1 + ids.filter((o) => scores[o] > scores[id]).length])
	);
	return {
		scores: complete ? scores : { [ids[0]]: scores[ids[0]] },
		ranks: complete ? ranks : {},
		overallComment: `comment ${random().toFixed(6)}`,
		timeSpentMs: 1000
	};
}

/** Runs one step: what the researcher or admin did, through the real domain functions. */
function apply(world: World, op: Op, now: Date, random: () => number, admin: Admin) {
	const { db, adminId } = world;
	switch (op.kind) {
		case 'claim':
			return claimNextItem(db, op.user, op.batchId, now).itemId;
		case 'save':
			return saveDraft(db, op.user, op.itemId, reviewInput(random, db, op.itemId, false), now);
		case 'submit':
			return submitReview(db, op.user, op.itemId, reviewInput(random, db, op.itemId, true), now);
		case 'skip':
			return skipItem(db, op.user, op.itemId, 'not my field', {}, now);
		case 'renew':
			return renewLease(db, op.user, op.itemId, now);
		case 'edit': {
			const input = reviewInput(random, db, op.itemId, true);
			return editSubmittedReview(db, op.user, op.itemId, input, now);
		}
		case 'tick':
			return;
		case 'gold':
			return toggleGold(db, adminId, world.main.id, op.itemId);
		case 'remove':
			admin.removed = { user: op.user, batchId: op.batchId };
			return removeAssignment(db, adminId, op.batchId, op.user);
		case 'restore':
			admin.removed = null;
			return assignResearcher(
				db,
				adminId,
				op.batchId,
				op.user,
				quotaOf(world, op.user, op.batchId)
			);
		case 'lock':
			admin.locked = op.batchId;
			return lockBatch(db, adminId, op.batchId, true);
		case 'unlock':
			admin.locked = null;
			return unlockBatch(db, adminId, op.batchId);
	}
}

/** Every review (with its judgements), lease and assignment, to compare two states. */
function snapshotRows(db: AppDB) {
	const all = (sql: string) => db.$client.prepare(sql).all() as Row[];
	type Row = { batch_id: number; user_id: number; id?: number; status?: string };
	return {
		reviews: all(
			`SELECT r.id, r.item_id, r.batch_id, r.user_id, r.status, r.overall_comment, r.skip_reason,
			        r.submitted_at, r.updated_at,
			        (SELECT json_group_array(json_array(rr.response_id, rr.score, rr.rank, rr.comment))
			           FROM review_responses rr WHERE rr.review_id = r.id) AS judged
			   FROM reviews r ORDER BY r.id`
		),
		leases: all(`SELECT item_id, user_id, batch_id, expires_at FROM leases ORDER BY 1, 2`),
		counts: all(`SELECT id, submitted_count FROM items ORDER BY id`),
		assignments: all(`SELECT batch_id, user_id FROM assignments ORDER BY 1, 2`),
		locked: all(`SELECT id AS batch_id, 0 AS user_id FROM batches WHERE status = 'locked'`)
	};
}
type Snapshot = ReturnType<typeof snapshotRows>;

/** The reviews and leases of one batch (and optionally one researcher), as one string. */
function rowsOf(s: Snapshot, batchId: number, userId?: number): string {
	const mine = (r: { batch_id: number; user_id: number }) =>
		r.batch_id === batchId && (userId === undefined || r.user_id === userId);
	return JSON.stringify([s.reviews.filter(mine), s.leases.filter(mine)]);
}

/** What must hold after every step, whatever was sent: a list of what does not. */
function violations(world: World, now: Date): string[] {
	const c = world.db.$client;
	const found: string[] = [];
	const perItem = c
		.prepare(
			`SELECT i.id, i.submitted_count AS submitted, b.overlap,
			        (SELECT count(*) FROM leases l WHERE l.item_id = i.id AND l.expires_at > ?) AS live,
			        (SELECT count(*) FROM reviews r WHERE r.item_id = i.id AND r.status = 'submitted') AS stored
			   FROM items i JOIN batches b ON b.id = i.batch_id`
		)
		.all(now.getTime()) as Record<'id' | 'submitted' | 'overlap' | 'live' | 'stored', number>[];
	for (const i of perItem) {
		if (i.submitted + i.live > i.overlap)
			found.push(`item ${i.id}: ${i.submitted} submitted + ${i.live} leases > ${i.overlap}`);
		if (i.submitted !== i.stored)
			found.push(`item ${i.id}: counts ${i.submitted} submitted, ${i.stored} stored`);
	}
	const overQuota = c
		.prepare(
			`SELECT a.user_id, a.batch_id, a.quota,
			        (SELECT count(*) FROM reviews r WHERE r.user_id = a.user_id AND r.batch_id = a.batch_id
			            AND r.status IN ('submitted', 'skipped')) AS done
			   FROM assignments a WHERE a.quota IS NOT NULL`
		)
		.all() as Record<'user_id' | 'batch_id' | 'quota' | 'done', number>[];
	for (const a of overQuota.filter((a) => a.done > a.quota))
		found.push(`user ${a.user_id}: ${a.done} done in batch ${a.batch_id}, quota ${a.quota}`);
	const twice = c
		.prepare(`SELECT item_id, user_id FROM reviews GROUP BY item_id, user_id HAVING count(*) > 1`)
		.all();
	if (twice.length) found.push(`two reviews of one item: ${JSON.stringify(twice)}`);
	const inDraft = c
		.prepare(
			`SELECT (SELECT count(*) FROM reviews WHERE batch_id = @b)
			      + (SELECT count(*) FROM leases WHERE batch_id = @b) AS n`
		)
		.get({ b: world.draft.id }) as { n: number };
	if (inDraft.n) found.push(`the draft batch took ${inDraft.n} reviews or leases`);
	return found;
}

/** What a step may not have changed: locked batches, removed researchers, final reviews. */
function forbiddenChanges(world: World, before: Snapshot, after: Snapshot): string[] {
	const found: string[] = [];
	for (const { batch_id } of before.locked) {
		if (rowsOf(before, batch_id) !== rowsOf(after, batch_id))
			found.push(`locked batch ${batch_id} changed`);
	}
	for (const batchId of [world.main.id, world.calibration.id, world.draft.id]) {
		for (const userId of world.researchers) {
			const assigned = (a: Snapshot['assignments'][number]) =>
				a.batch_id === batchId && a.user_id === userId;
			if (before.assignments.some(assigned)) continue;
			if (rowsOf(before, batchId, userId) !== rowsOf(after, batchId, userId))
				found.push(`user ${userId}, not assigned to batch ${batchId}, changed rows there`);
		}
	}
	for (const review of before.reviews) {
		if (review.batch_id !== world.calibration.id || review.status !== 'submitted') continue;
		const later = after.reviews.find((r) => r.id === review.id);
		if (JSON.stringify(later) !== JSON.stringify(review))
			found.push(`submitted calibration review ${review.id} changed`);
	}
	return found;
}

/** Runs a session; returns how many claims handed out a gold item. */
function runSession(world: World, seed: number, log: string[]): number {
	let goldHanded = 0;
	const random = mulberry32(seed);
	/** The items the queue handed each researcher, in order. */
	const handed = new Map<number, number[]>();
	const admin: Admin = { removed: null, locked: null };
	let now = T0;
	for (let step = 0; step < STEPS; step++) {
		const op = pickOp(random, world, handed, admin);
		log.push(`${step}: ${JSON.stringify(op)}`);
		if (op.kind === 'tick') now = new Date(now.getTime() + op.minutes * 60_000);
		const before = snapshotRows(world.db);
		let refused: unknown;
		try {
			const result = apply(world, op, now, random, admin);
			if (op.kind === 'claim' && typeof result === 'number')
				handed.set(op.user, [...(handed.get(op.user) ?? []), result]);
			if (op.kind === 'claim' && typeof result === 'number' && isGold(world.db, result))
				goldHanded += 1;
		} catch (e) {
			refused = e;
		}
		const after = snapshotRows(world.db);
		const found = [...violations(world, now), ...forbiddenChanges(world, before, after)];
		if (refused) {
			const message = (refused as Error).message;
			log.push(`   refused: ${message}`);
			if (!(refused instanceof DomainError) || refused.status < 400 || refused.status >= 500)
				found.push(`not a clear refusal: ${String(refused)}`);
			// A submit that comes too late keeps the work as a draft; any other refusal writes nothing.
			if (!message.includes('kept as a draft') && JSON.stringify(before) !== JSON.stringify(after))
				found.push('a refused request wrote something');
		} else if (op.kind === 'save' || op.kind === 'submit' || op.kind === 'skip') {
			if (!handed.get(op.user)?.includes(op.itemId))
				found.push(`user ${op.user} wrote item ${op.itemId} that the queue never handed them`);
		}
		if (found.length) throw new Error(found.join('\n'));
	}
	return goldHanded;
}

describe('the queue under random sessions', () => {
	it.each(SEEDS)('keeps its promises after every step (seed %i)', async (seed) => {
		const world = await buildWorld();
		const log: string[] = [];
		let goldHanded = 0;
		try {
			goldHanded = runSession(world, seed, log);
		} catch (e) {
			const steps = log.slice(-12).join('\n');
			throw new Error(`seed ${seed}: ${(e as Error).message}\nlast steps:\n${steps}`, {
				cause: e
			});
		}
		expect(log.length).toBeGreaterThanOrEqual(STEPS);
		expect(goldHanded).toBeGreaterThan(0);
	});
});
