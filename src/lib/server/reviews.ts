import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { completenessProblems, reviewInputSchema, type ReviewInput } from '../review-input';
import { recordAudit } from './audit';
import type { DB } from './db';
import {
	assignments,
	batches,
	items,
	leases,
	responses,
	reviewResponses,
	reviews,
	traits,
	traitVersions,
	users,
	type Review
} from './db/schema';
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

function requireAssignment(db: DB, userId: number, batchId: number) {
	const row = db
		.select({ batch: batches, quota: assignments.quota })
		.from(assignments)
		.innerJoin(batches, eq(batches.id, assignments.batchId))
		.where(and(eq(assignments.batchId, batchId), eq(assignments.userId, userId)))
		.get();
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

function liveLeaseCount(db: DB, itemId: number, exceptUserId: number, now: Date): number {
	return (
		db
			.select({ n: sql<number>`count(*)` })
			.from(leases)
			.where(
				and(
					eq(leases.itemId, itemId),
					gt(leases.expiresAt, now),
					sql`${leases.userId} != ${exceptUserId}`
				)
			)
			.get()?.n ?? 0
	);
}

function takeLease(db: DB, userId: number, batchId: number, itemId: number, now: Date): void {
	const expiresAt = new Date(now.getTime() + leaseMs());
	db.insert(leases)
		.values({ itemId, userId, batchId, claimedAt: now, expiresAt })
		.onConflictDoUpdate({ target: [leases.itemId, leases.userId], set: { expiresAt } })
		.run();
}

export type Claim = { itemId: number } | { itemId: null; reason: 'quota' | 'empty' };

/**
 * Hands the researcher their next item of a batch, in one transaction: the item they still
 * hold; else one of their drafts that still has room; else the least-reviewed item they have
 * not done, in a stable random order. An item is never handed out beyond its overlap:
 * submitted reviews plus other people's live leases must leave a slot free.
 */
export function claimNextItem(db: DB, userId: number, batchId: number, now = new Date()): Claim {
	return db.transaction(
		(tx) => {
			const { batch, quota } = requireAssignment(tx, userId, batchId);
			if (batch.status !== 'open') {
				throw new DomainError(
					`This batch is ${batch.status}: it takes no reviews now.`,
					undefined,
					409
				);
			}
			const held = tx
				.select({ itemId: leases.itemId })
				.from(leases)
				.where(
					and(eq(leases.userId, userId), eq(leases.batchId, batchId), gt(leases.expiresAt, now))
				)
				.orderBy(desc(leases.claimedAt))
				.get();
			if (held) {
				takeLease(tx, userId, batchId, held.itemId, now);
				return { itemId: held.itemId };
			}
			if (quota !== null) {
				const done =
					tx
						.select({ n: sql<number>`count(*)` })
						.from(reviews)
						.where(
							and(
								eq(reviews.userId, userId),
								eq(reviews.batchId, batchId),
								inArray(reviews.status, ['submitted', 'skipped'])
							)
						)
						.get()?.n ?? 0;
				if (done >= quota) return { itemId: null, reason: 'quota' as const };
			}
			const nowMs = now.getTime();
			const hasRoom = sql`(${items.submittedCount} + (select count(*) from leases l where l.item_id = "items"."id" and l.expires_at > ${nowMs} and l.user_id != ${userId})) < ${batch.overlap}`;
			const draft = tx
				.select({ id: items.id })
				.from(reviews)
				.innerJoin(items, eq(items.id, reviews.itemId))
				.where(
					and(
						eq(reviews.userId, userId),
						eq(reviews.batchId, batchId),
						eq(reviews.status, 'draft'),
						hasRoom
					)
				)
				.orderBy(asc(reviews.updatedAt))
				.get();
			const next =
				draft ??
				tx
					.select({ id: items.id })
					.from(items)
					.where(
						and(
							eq(items.batchId, batchId),
							sql`${items.responseCount} > 0`,
							sql`${items.submittedCount} < ${batch.overlap}`,
							sql`not exists (select 1 from reviews r where r.item_id = "items"."id" and r.user_id = ${userId})`,
							hasRoom
						)
					)
					.orderBy(asc(items.submittedCount), asc(items.shuffleKey), asc(items.id))
					.get();
			if (!next) return { itemId: null, reason: 'empty' as const };
			takeLease(tx, userId, batchId, next.id, now);
			return { itemId: next.id };
		},
		{ behavior: 'immediate' }
	);
}

/** Keeps a claimed item reserved while the researcher works on it. */
export function renewLease(db: DB, userId: number, itemId: number, now = new Date()): boolean {
	const result = db
		.update(leases)
		.set({ expiresAt: new Date(now.getTime() + leaseMs()) })
		.where(and(eq(leases.userId, userId), eq(leases.itemId, itemId), gt(leases.expiresAt, now)))
		.run();
	return result.changes > 0;
}

// ---------------------------------------------------------------------------------------------
// Reviews

/** A deterministic shuffle per researcher and item, so a reload shows the same order. */
export function shuffledFor(userId: number, itemId: number, ids: number[]): number[] {
	let seed = (Math.imul(userId, 0x9e3779b1) ^ Math.imul(itemId, 0x85ebca6b)) >>> 0;
	const random = () => {
		seed = (seed + 0x6d2b79f5) >>> 0;
		let t = seed;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const out = [...ids];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

type ItemContext = {
	item: { id: number; batchId: number; traitId: number };
	batch: {
		id: number;
		status: string;
		scalePoints: number;
		overlap: number;
		calibration: boolean;
		blind: boolean;
	};
	responseIds: number[];
	currentVersionId: number;
};

function loadItemContext(db: DB, itemId: number): ItemContext {
	const row = db
		.select({
			item: { id: items.id, batchId: items.batchId, traitId: items.traitId },
			batch: {
				id: batches.id,
				status: batches.status,
				scalePoints: batches.scalePoints,
				overlap: batches.overlap,
				calibration: batches.calibration,
				blind: batches.blind
			},
			currentVersionId: traitVersions.id
		})
		.from(items)
		.innerJoin(batches, eq(batches.id, items.batchId))
		.innerJoin(traits, eq(traits.id, items.traitId))
		.innerJoin(
			traitVersions,
			and(eq(traitVersions.traitId, traits.id), eq(traitVersions.version, traits.currentVersion))
		)
		.where(eq(items.id, itemId))
		.get();
	if (!row) throw new DomainError('There is no such item.', undefined, 404);
	const responseIds = db
		.select({ id: responses.id })
		.from(responses)
		.where(eq(responses.itemId, itemId))
		.orderBy(asc(responses.position))
		.all()
		.map((r) => r.id);
	return { ...row, responseIds };
}

function findReview(db: DB, userId: number, itemId: number): Review | undefined {
	return db
		.select()
		.from(reviews)
		.where(and(eq(reviews.userId, userId), eq(reviews.itemId, itemId)))
		.get();
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

/** Writes the review row and its per-response rows; returns the review id. */
function writeReview(
	tx: DB,
	ctx: ItemContext,
	userId: number,
	existing: Review | undefined,
	input: ReviewInput,
	fields: Partial<Pick<Review, 'status' | 'skipReason' | 'submittedAt'>>,
	now: Date
): number {
	const values = {
		overallComment: input.overallComment,
		flags: input.flags,
		timeSpentMs: Math.max(input.timeSpentMs, existing?.timeSpentMs ?? 0),
		traitVersionId: ctx.currentVersionId,
		updatedAt: now,
		...fields
	};
	const reviewId = existing
		? (tx.update(reviews).set(values).where(eq(reviews.id, existing.id)).run(), existing.id)
		: tx
				.insert(reviews)
				.values({
					itemId: ctx.item.id,
					batchId: ctx.item.batchId,
					userId,
					status: 'draft',
					shownOrder: shuffledFor(userId, ctx.item.id, ctx.responseIds),
					startedAt: now,
					...values
				})
				.returning({ id: reviews.id })
				.get().id;
	tx.delete(reviewResponses).where(eq(reviewResponses.reviewId, reviewId)).run();
	const rows = ctx.responseIds.map((responseId) => ({
		reviewId,
		responseId,
		score: input.scores[responseId] ?? null,
		rank: input.ranks[responseId] ?? null,
		comment: input.comments[responseId] ?? ''
	}));
	if (rows.length) tx.insert(reviewResponses).values(rows).run();
	return reviewId;
}

function requireWritable(ctx: ItemContext): void {
	if (ctx.batch.status === 'locked') {
		throw new DomainError(
			'This batch is locked: its reviews can no longer change.',
			undefined,
			409
		);
	}
}

/** Saves work in progress. It never changes a submitted review: that is an edit. */
export function saveDraft(db: DB, userId: number, itemId: number, raw: unknown, now = new Date()) {
	return db.transaction(
		(tx) => {
			const ctx = loadItemContext(tx, itemId);
			requireAssignment(tx, userId, ctx.item.batchId);
			requireWritable(ctx);
			const existing = findReview(tx, userId, itemId);
			if (existing?.status === 'submitted') {
				throw new DomainError(
					'This review is already submitted; open it from My reviews to change it.',
					undefined,
					409
				);
			}
			const input = parseInput(raw, ctx.responseIds);
			writeReview(tx, ctx, userId, existing, input, { status: 'draft', skipReason: null }, now);
			takeLease(tx, userId, ctx.item.batchId, itemId, now);
			return { savedAt: now };
		},
		{ behavior: 'immediate' }
	);
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
	db: DB,
	userId: number,
	itemId: number,
	raw: unknown,
	now = new Date()
): SubmitResult {
	return db.transaction(
		(tx) => {
			const ctx = loadItemContext(tx, itemId);
			requireAssignment(tx, userId, ctx.item.batchId);
			const existing = findReview(tx, userId, itemId);
			const base = { batchId: ctx.item.batchId, calibration: ctx.batch.calibration };
			if (existing?.status === 'submitted')
				return { reviewId: existing.id, duplicate: true, ...base };
			requireWritable(ctx);
			const input = parseInput(raw, ctx.responseIds);
			const problems = completenessProblems(ctx.responseIds, ctx.batch.scalePoints, input);
			if (problems.length) throw new DomainError(problems.join(' '));
			const item = tx
				.select({ submitted: items.submittedCount })
				.from(items)
				.where(eq(items.id, itemId))
				.get()!;
			const held = tx
				.select()
				.from(leases)
				.where(and(eq(leases.itemId, itemId), eq(leases.userId, userId), gt(leases.expiresAt, now)))
				.get();
			const room =
				ctx.batch.overlap - item.submitted - (held ? 0 : liveLeaseCount(tx, itemId, userId, now));
			if (room <= 0) {
				// Keep their work: it stays a draft, and nothing goes past the overlap.
				writeReview(tx, ctx, userId, existing, input, { status: 'draft' }, now);
				throw new DomainError(
					'This item got all the reviews it needs while it was away from you. Your review is kept as a draft.',
					undefined,
					409
				);
			}
			const reviewId = writeReview(
				tx,
				ctx,
				userId,
				existing,
				input,
				{ status: 'submitted', submittedAt: now, skipReason: null },
				now
			);
			tx.update(items)
				.set({ submittedCount: sql`${items.submittedCount} + 1` })
				.where(eq(items.id, itemId))
				.run();
			tx.delete(leases)
				.where(and(eq(leases.itemId, itemId), eq(leases.userId, userId)))
				.run();
			return { reviewId, duplicate: false, ...base };
		},
		{ behavior: 'immediate' }
	);
}

export function skipItem(
	db: DB,
	userId: number,
	itemId: number,
	reason: string,
	raw: unknown = {},
	now = new Date()
): void {
	const why = reason.trim();
	if (!why) throw new DomainError('Say why you skip this item.', 'reason');
	if (why.length > 2000) throw new DomainError('Keep the reason under 2,000 characters.', 'reason');
	db.transaction(
		(tx) => {
			const ctx = loadItemContext(tx, itemId);
			requireAssignment(tx, userId, ctx.item.batchId);
			requireWritable(ctx);
			const existing = findReview(tx, userId, itemId);
			if (existing?.status === 'submitted') {
				throw new DomainError(
					'This review is already submitted; it cannot be skipped.',
					undefined,
					409
				);
			}
			writeReview(
				tx,
				ctx,
				userId,
				existing,
				parseInput(raw, ctx.responseIds),
				{ status: 'skipped', skipReason: why },
				now
			);
			tx.delete(leases)
				.where(and(eq(leases.itemId, itemId), eq(leases.userId, userId)))
				.run();
		},
		{ behavior: 'immediate' }
	);
}

function snapshot(tx: DB, review: Review) {
	const rows = tx
		.select()
		.from(reviewResponses)
		.where(eq(reviewResponses.reviewId, review.id))
		.orderBy(asc(reviewResponses.responseId))
		.all();
	return {
		scores: Object.fromEntries(rows.map((r) => [r.responseId, r.score])),
		ranks: Object.fromEntries(rows.map((r) => [r.responseId, r.rank])),
		comments: Object.fromEntries(rows.map((r) => [r.responseId, r.comment])),
		overallComment: review.overallComment,
		flags: review.flags
	};
}

/** Changes a submitted review until its batch is locked; the audit log keeps old and new. */
export function editSubmittedReview(
	db: DB,
	userId: number,
	itemId: number,
	raw: unknown,
	now = new Date()
): void {
	db.transaction(
		(tx) => {
			const ctx = loadItemContext(tx, itemId);
			requireWritable(ctx);
			const existing = findReview(tx, userId, itemId);
			if (!existing || existing.status !== 'submitted') {
				throw new DomainError(
					'There is no submitted review of yours to change here.',
					undefined,
					404
				);
			}
			const input = parseInput(raw, ctx.responseIds);
			const problems = completenessProblems(ctx.responseIds, ctx.batch.scalePoints, input);
			if (problems.length) throw new DomainError(problems.join(' '));
			const before = snapshot(tx, existing);
			writeReview(tx, ctx, userId, existing, input, {}, now);
			const after = snapshot(tx, findReview(tx, userId, itemId)!);
			if (JSON.stringify(before) === JSON.stringify(after)) return;
			recordAudit(
				tx,
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
		},
		{ behavior: 'immediate' }
	);
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
