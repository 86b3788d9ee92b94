import { mulberry32, shuffle } from '$lib/prng';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { completenessProblems, reviewInputSchema, type ReviewInput } from '../review-input';
import { recordAudit } from './audit';
import type { AppDB, DB } from './db';
import { statement } from './db/statements';
import { assignments, batches, items, leases, reviews, users } from './db/schema';
import { DomainError } from './errors';

const MINUTE = 60_000;

/** How long a claimed item stays reserved without activity. Each save renews it. */
export function leaseMs(): number {
	const minutes = Number(process.env.REVIEW_LEASE_MINUTES ?? 30);
	return (Number.isFinite(minutes) && minutes > 0 ? minutes : 30) * MINUTE;
}

// ---------------------------------------------------------------------------------------------
// Assignments

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
	db.transaction((tx) => {
		const user = tx.select().from(users).where(eq(users.id, userId)).get();
		if (!user || user.disabledAt) throw new DomainError('Choose an active user.', 'userId');
		if (!tx.select().from(batches).where(eq(batches.id, batchId)).get()) {
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
	db.transaction((tx) => {
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

/** Reviews wanted per item: never below what some item already has. */
export function setOverlap(db: DB, actorId: number, batchId: number, overlap: number): void {
	if (!Number.isInteger(overlap) || overlap < 1 || overlap > 50) {
		throw new DomainError('Reviews per item must be a whole number from 1 to 50.', 'overlap');
	}
	db.transaction((tx) => {
		const batch = tx.select().from(batches).where(eq(batches.id, batchId)).get();
		if (!batch) throw new DomainError('There is no such batch.', undefined, 404);
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
		recordAudit(tx, {
			actorId,
			action: 'batch.overlap',
			targetType: 'batch',
			targetId: batchId,
			oldValue: { overlap: batch.overlap },
			newValue: { overlap }
		});
	});
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

// ---------------------------------------------------------------------------------------------
// The queue

type AssignmentRow = { id: number; status: string; overlap: number; quota: number | null };

function requireAssignment(db: AppDB, userId: number, batchId: number): AssignmentRow {
	const row = statement(
		db.$client,
		`SELECT b.id, b.status, b.overlap, a.quota FROM assignments a JOIN batches b ON b.id = a.batch_id
		  WHERE a.batch_id = ? AND a.user_id = ?`
	).get(batchId, userId) as AssignmentRow | undefined;
	if (!row) throw new DomainError('You are not assigned to this batch.', undefined, 403);
	return row;
}

export type Progress = { done: number; assigned: number; submitted: number; skipped: number };

/** Done (submitted or skipped) against assigned (the quota, or every reviewable item). */
export function researcherProgress(db: DB, userId: number, batchId: number): Progress {
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

function takeLease(db: AppDB, userId: number, batchId: number, itemId: number, now: Date): void {
	statement(
		db.$client,
		`INSERT INTO leases (item_id, user_id, batch_id, claimed_at, expires_at) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT (item_id, user_id) DO UPDATE SET expires_at = excluded.expires_at`
	).run(itemId, userId, batchId, now.getTime(), now.getTime() + leaseMs());
}

function heldLease(db: AppDB, userId: number, itemId: number, now: Date): boolean {
	return Boolean(
		statement(
			db.$client,
			`SELECT 1 FROM leases WHERE item_id = ? AND user_id = ? AND expires_at > ?`
		).get(itemId, userId, now.getTime())
	);
}

function othersLiveLeases(db: AppDB, itemId: number, userId: number, now: Date): number {
	return (
		statement(
			db.$client,
			`SELECT count(*) AS n FROM leases WHERE item_id = ? AND expires_at > ? AND user_id != ?`
		).get(itemId, now.getTime(), userId) as { n: number }
	).n;
}

export type Claim = { itemId: number } | { itemId: null; reason: 'quota' | 'empty' };

/**
 * Hands the researcher their next item of a batch, in one transaction: the item they still
 * hold; else one of their drafts that still has room; else the least-reviewed item they have
 * not done, in a stable random order. An item is never handed out beyond its overlap:
 * submitted reviews plus other people's live leases must leave a slot free.
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
			const held = statement(
				c,
				`SELECT item_id FROM leases WHERE user_id = ? AND batch_id = ? AND expires_at > ?
				  ORDER BY claimed_at DESC LIMIT 1`
			).get(userId, batchId, now.getTime()) as { item_id: number } | undefined;
			if (held) {
				takeLease(db, userId, batchId, held.item_id, now);
				return { itemId: held.item_id };
			}
			if (batch.quota !== null) {
				const { n } = statement(
					c,
					`SELECT count(*) AS n FROM reviews
					  WHERE user_id = ? AND batch_id = ? AND status IN ('submitted', 'skipped')`
				).get(userId, batchId) as { n: number };
				if (n >= batch.quota) return { itemId: null, reason: 'quota' };
			}
			const params = { user: userId, batch: batchId, now: now.getTime(), overlap: batch.overlap };
			const next = (statement(
				c,
				`SELECT i.id FROM reviews r JOIN items i ON i.id = r.item_id
				  WHERE r.user_id = @user AND r.batch_id = @batch AND r.status = 'draft' AND ${HAS_ROOM}
				  ORDER BY r.updated_at LIMIT 1`
			).get(params) ??
				statement(
					c,
					`SELECT i.id FROM items i
					  WHERE i.batch_id = @batch AND i.response_count > 0 AND i.submitted_count < @overlap
					    AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.item_id = i.id AND r.user_id = @user)
					    AND ${HAS_ROOM}
					  ORDER BY i.submitted_count, i.shuffle_key, i.id LIMIT 1`
				).get(params)) as { id: number } | undefined;
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

// ---------------------------------------------------------------------------------------------
// Reviews

/** A deterministic shuffle per researcher and item, so a reload shows the same order. */
export function shuffledFor(userId: number, itemId: number, ids: number[]): number[] {
	const seed = (Math.imul(userId, 0x9e3779b1) ^ Math.imul(itemId, 0x85ebca6b)) >>> 0;
	return shuffle(ids, mulberry32(seed));
}

type ItemContext = {
	itemId: number;
	batchId: number;
	submittedCount: number;
	status: string;
	scalePoints: number;
	overlap: number;
	calibration: boolean;
	versionId: number;
	responseIds: number[];
};

function loadItemContext(db: AppDB, itemId: number): ItemContext {
	const row = statement(
		db.$client,
		`SELECT i.id, i.batch_id, i.submitted_count, b.status, b.scale_points, b.overlap, b.calibration,
		        tv.id AS version_id
		   FROM items i
		   JOIN batches b ON b.id = i.batch_id
		   JOIN traits t ON t.id = i.trait_id
		   JOIN trait_versions tv ON tv.trait_id = t.id AND tv.version = t.current_version
		  WHERE i.id = ?`
	).get(itemId) as
		| {
				batch_id: number;
				submitted_count: number;
				status: string;
				scale_points: number;
				overlap: number;
				calibration: number;
				version_id: number;
		  }
		| undefined;
	if (!row) throw new DomainError('There is no such item.', undefined, 404);
	const responseIds = (
		statement(db.$client, `SELECT id FROM responses WHERE item_id = ? ORDER BY position`).all(
			itemId
		) as {
			id: number;
		}[]
	).map((r) => r.id);
	return {
		itemId,
		batchId: row.batch_id,
		submittedCount: row.submitted_count,
		status: row.status,
		scalePoints: row.scale_points,
		overlap: row.overlap,
		calibration: Boolean(row.calibration),
		versionId: row.version_id,
		responseIds
	};
}

type ReviewRow = {
	id: number;
	status: string;
	overall_comment: string;
	flags: string;
	time_spent_ms: number;
	skip_reason: string | null;
	submitted_at: number | null;
};

function findReview(db: AppDB, userId: number, itemId: number): ReviewRow | undefined {
	return statement(
		db.$client,
		`SELECT id, status, overall_comment, flags, time_spent_ms, skip_reason, submitted_at
		   FROM reviews WHERE user_id = ? AND item_id = ?`
	).get(userId, itemId) as ReviewRow | undefined;
}

function parseInput(input: unknown, responseIds: number[]): ReviewInput {
	const parsed = reviewInputSchema.safeParse(input);
	if (!parsed.success) throw new DomainError('The review could not be read: reload the page.');
	const known = new Set(responseIds.map(String));
	const keep = <T>(record: Record<string, T>) =>
		Object.fromEntries(Object.entries(record).filter(([id]) => known.has(id)));
	return {
		...parsed.data,
		scores: keep(parsed.data.scores),
		ranks: keep(parsed.data.ranks),
		comments: keep(parsed.data.comments)
	};
}

type ReviewState = { status: string; skipReason: string | null; submittedAt: number | null };

/** Writes the review row and its per-response rows; returns the review id. */
function writeReview(
	db: AppDB,
	ctx: ItemContext,
	userId: number,
	existing: ReviewRow | undefined,
	input: ReviewInput,
	state: ReviewState,
	now: Date
): number {
	const c = db.$client;
	const timeSpent = Math.max(input.timeSpentMs, existing?.time_spent_ms ?? 0);
	const flags = JSON.stringify(input.flags);
	let reviewId: number;
	if (existing) {
		statement(
			c,
			`UPDATE reviews SET status = ?, skip_reason = ?, submitted_at = ?, overall_comment = ?, flags = ?,
			        time_spent_ms = ?, trait_version_id = ?, updated_at = ? WHERE id = ?`
		).run(
			state.status,
			state.skipReason,
			state.submittedAt,
			input.overallComment,
			flags,
			timeSpent,
			ctx.versionId,
			now.getTime(),
			existing.id
		);
		reviewId = existing.id;
	} else {
		reviewId = (
			statement(
				c,
				`INSERT INTO reviews (item_id, batch_id, user_id, status, skip_reason, submitted_at, overall_comment,
				        flags, time_spent_ms, trait_version_id, shown_order, started_at, updated_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
			).get(
				ctx.itemId,
				ctx.batchId,
				userId,
				state.status,
				state.skipReason,
				state.submittedAt,
				input.overallComment,
				flags,
				timeSpent,
				ctx.versionId,
				JSON.stringify(shuffledFor(userId, ctx.itemId, ctx.responseIds)),
				now.getTime(),
				now.getTime()
			) as { id: number }
		).id;
	}
	// Updated in place rather than deleted and re-inserted: a draft is saved many times.
	const insert = statement(
		c,
		`INSERT INTO review_responses (review_id, response_id, score, rank, comment) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT (review_id, response_id) DO UPDATE
		 SET score = excluded.score, rank = excluded.rank, comment = excluded.comment`
	);
	for (const responseId of ctx.responseIds) {
		insert.run(
			reviewId,
			responseId,
			input.scores[responseId] ?? null,
			input.ranks[responseId] ?? null,
			input.comments[responseId] ?? ''
		);
	}
	return reviewId;
}

function requireWritable(ctx: ItemContext): void {
	if (ctx.status === 'locked') {
		throw new DomainError(
			'This batch is locked: its reviews can no longer change.',
			undefined,
			409
		);
	}
}

function releaseLease(db: AppDB, userId: number, itemId: number): void {
	statement(db.$client, `DELETE FROM leases WHERE item_id = ? AND user_id = ?`).run(itemId, userId);
}

/** The item's context and the researcher's review, for changes that must not touch a submit. */
function openUnsubmitted(db: AppDB, userId: number, itemId: number, whenSubmitted: string) {
	const ctx = loadItemContext(db, itemId);
	requireAssignment(db, userId, ctx.batchId);
	requireWritable(ctx);
	const existing = findReview(db, userId, itemId);
	if (existing?.status === 'submitted') throw new DomainError(whenSubmitted, undefined, 409);
	return { ctx, existing };
}

/** The review as sent, refused with what is missing unless every response is scored and ranked. */
function parseComplete(ctx: ItemContext, raw: unknown): ReviewInput {
	const input = parseInput(raw, ctx.responseIds);
	const problems = completenessProblems(ctx.responseIds, ctx.scalePoints, input);
	if (problems.length) throw new DomainError(problems.join(' '));
	return input;
}

/** Saves work in progress. It never changes a submitted review: that is an edit. */
export function saveDraft(
	db: AppDB,
	userId: number,
	itemId: number,
	raw: unknown,
	now = new Date()
) {
	return db.$client
		.transaction(() => {
			const { ctx, existing } = openUnsubmitted(
				db,
				userId,
				itemId,
				'This review is already submitted; open it from My reviews to change it.'
			);
			const input = parseInput(raw, ctx.responseIds);
			writeReview(
				db,
				ctx,
				userId,
				existing,
				input,
				{ status: 'draft', skipReason: null, submittedAt: null },
				now
			);
			takeLease(db, userId, ctx.batchId, itemId, now);
			return { savedAt: now };
		})
		.immediate();
}

export type SubmitResult = {
	reviewId: number;
	duplicate: boolean;
	batchId: number;
	calibration: boolean;
};

/**
 * Submits a complete review. Submitting twice (a double click, a retried request) finds the
 * review already submitted and changes nothing: there is one review per researcher and item.
 */
export function submitReview(
	db: AppDB,
	userId: number,
	itemId: number,
	raw: unknown,
	now = new Date()
): SubmitResult {
	try {
		return submitOnce(db, userId, itemId, raw, now);
	} catch (e) {
		if (!(e instanceof LateSubmit)) throw e;
		// Keep their work as a draft: nothing goes past the overlap, and nothing is lost.
		db.$client
			.transaction(() => {
				const ctx = loadItemContext(db, itemId);
				const draft = { status: 'draft', skipReason: null, submittedAt: null };
				writeReview(db, ctx, userId, findReview(db, userId, itemId), e.input, draft, now);
			})
			.immediate();
		throw new DomainError(
			'This item got all the reviews it needs while it was away from you. Your review is kept as a draft.',
			undefined,
			409
		);
	}
}

function submitOnce(
	db: AppDB,
	userId: number,
	itemId: number,
	raw: unknown,
	now: Date
): SubmitResult {
	return db.$client
		.transaction((): SubmitResult => {
			const ctx = loadItemContext(db, itemId);
			requireAssignment(db, userId, ctx.batchId);
			const existing = findReview(db, userId, itemId);
			const base = { batchId: ctx.batchId, calibration: ctx.calibration };
			if (existing?.status === 'submitted')
				return { reviewId: existing.id, duplicate: true, ...base };
			requireWritable(ctx);
			const input = parseComplete(ctx, raw);
			const reserved = heldLease(db, userId, itemId, now);
			const room =
				ctx.overlap -
				ctx.submittedCount -
				(reserved ? 0 : othersLiveLeases(db, itemId, userId, now));
			if (room <= 0) throw new LateSubmit(input);
			const reviewId = writeReview(
				db,
				ctx,
				userId,
				existing,
				input,
				{ status: 'submitted', skipReason: null, submittedAt: now.getTime() },
				now
			);
			statement(
				db.$client,
				`UPDATE items SET submitted_count = submitted_count + 1 WHERE id = ?`
			).run(itemId);
			releaseLease(db, userId, itemId);
			return { reviewId, duplicate: false, ...base };
		})
		.immediate();
}

/** Thrown inside submitReview's transaction when the item filled up meanwhile. */
class LateSubmit extends Error {
	constructor(readonly input: ReviewInput) {
		super('late submit');
	}
}

export function skipItem(
	db: AppDB,
	userId: number,
	itemId: number,
	reason: string,
	raw: unknown = {},
	now = new Date()
): void {
	const why = reason.trim();
	if (!why) throw new DomainError('Say why you skip this item.', 'reason');
	if (why.length > 2000) throw new DomainError('Keep the reason under 2,000 characters.', 'reason');
	db.$client
		.transaction(() => {
			const { ctx, existing } = openUnsubmitted(
				db,
				userId,
				itemId,
				'This review is already submitted; it cannot be skipped.'
			);
			writeReview(
				db,
				ctx,
				userId,
				existing,
				parseInput(raw, ctx.responseIds),
				{ status: 'skipped', skipReason: why, submittedAt: null },
				now
			);
			releaseLease(db, userId, itemId);
		})
		.immediate();
}

function snapshot(db: AppDB, review: ReviewRow) {
	const rows = statement(
		db.$client,
		`SELECT response_id, score, rank, comment FROM review_responses WHERE review_id = ? ORDER BY response_id`
	).all(review.id) as {
		response_id: number;
		score: number | null;
		rank: number | null;
		comment: string;
	}[];
	return {
		scores: Object.fromEntries(rows.map((r) => [r.response_id, r.score])),
		ranks: Object.fromEntries(rows.map((r) => [r.response_id, r.rank])),
		comments: Object.fromEntries(rows.map((r) => [r.response_id, r.comment])),
		overallComment: review.overall_comment,
		flags: JSON.parse(review.flags) as string[]
	};
}

/** Changes a submitted review until its batch is locked; the audit log keeps old and new. */
export function editSubmittedReview(
	db: AppDB,
	userId: number,
	itemId: number,
	raw: unknown,
	now = new Date()
): void {
	db.$client
		.transaction(() => {
			const ctx = loadItemContext(db, itemId);
			requireWritable(ctx);
			const existing = findReview(db, userId, itemId);
			if (!existing || existing.status !== 'submitted') {
				throw new DomainError(
					'There is no submitted review of yours to change here.',
					undefined,
					404
				);
			}
			const input = parseComplete(ctx, raw);
			const before = snapshot(db, existing);
			const state = { status: 'submitted', skipReason: null, submittedAt: existing.submitted_at };
			writeReview(db, ctx, userId, existing, input, state, now);
			const after = snapshot(db, findReview(db, userId, itemId)!);
			if (JSON.stringify(before) === JSON.stringify(after)) return;
			recordAudit(
				db,
				{
					actorId: userId,
					action: 'review.edit',
					targetType: 'review',
					targetId: existing.id,
					oldValue: before,
					newValue: after
				},
				now
			);
		})
		.immediate();
}

/** A researcher's own reviews, newest first. */
export function listMyReviews(db: DB, userId: number, page = 1, pageSize = 50) {
	const where = and(
		eq(reviews.userId, userId),
		inArray(reviews.status, ['submitted', 'skipped', 'draft'])
	);
	const total =
		db
			.select({ n: sql<number>`count(*)` })
			.from(reviews)
			.where(where)
			.get()?.n ?? 0;
	const rows = db
		.select({
			id: reviews.id,
			itemId: reviews.itemId,
			batchId: reviews.batchId,
			batchName: batches.name,
			batchStatus: batches.status,
			status: reviews.status,
			updatedAt: reviews.updatedAt,
			submittedAt: reviews.submittedAt,
			externalId: items.externalId,
			promptText: sql<string>`substr(${items.promptText}, 1, 160)`
		})
		.from(reviews)
		.innerJoin(items, eq(items.id, reviews.itemId))
		.innerJoin(batches, eq(batches.id, reviews.batchId))
		.where(where)
		.orderBy(desc(reviews.updatedAt), desc(reviews.id))
		.limit(pageSize)
		.offset((Math.max(1, page) - 1) * pageSize)
		.all();
	return { rows, total, pages: Math.max(1, Math.ceil(total / pageSize)) };
}

/** The batches a researcher is assigned to, with their progress. */
export function listMyBatches(db: DB, userId: number) {
	const rows = db
		.select({ id: batches.id, name: batches.name, status: batches.status })
		.from(assignments)
		.innerJoin(batches, eq(batches.id, assignments.batchId))
		.where(eq(assignments.userId, userId))
		.orderBy(asc(batches.name))
		.all();
	return rows.map((b) => ({ ...b, progress: researcherProgress(db, userId, b.id) }));
}
