import { completenessProblems, reviewInputSchema, type ReviewInput } from '$lib/review-input';
import { recordAudit } from '../audit';
import { markItemStale } from '../dashboard';
import type { AppDB } from '../db';
import { statement } from '../db/statements';
import { DomainError } from '../errors';
import { checkEvidence, listEvidence, replaceEvidence } from '../evidence';
import {
	hasRoom,
	openWriteTarget,
	requireEditable,
	requireHeld,
	requireOpen,
	requireQuota,
	underQuota
} from './guards';
import { releaseLease, takeLease } from './queue';
import {
	findReview,
	loadItemContext,
	snapshot,
	writeReview,
	type ExistingReview,
	type ItemContext
} from './rows';

function parseInput(db: AppDB, input: unknown, ctx: ItemContext): ReviewInput {
	const parsed = reviewInputSchema.safeParse(input);
	if (!parsed.success) throw new DomainError('The review could not be read: reload the page.');
	const known = new Set(ctx.responseIds.map(String));
	const keep = <T>(record: Record<string, T>) =>
		Object.fromEntries(Object.entries(record).filter(([id]) => known.has(id)));
	return {
		...parsed.data,
		scores: keep(parsed.data.scores),
		ranks: keep(parsed.data.ranks),
		comments: keep(parsed.data.comments),
		evidence: checkEvidence(db, ctx.itemId, parsed.data.evidence)
	};
}

/** The review row and its per-response rows (rows.ts), and its evidence spans beside them. */
function writeWithEvidence(...args: Parameters<typeof writeReview>): number {
	const reviewId = writeReview(...args);
	const [db, , , , input, , now] = args;
	replaceEvidence(db, reviewId, input.evidence, now);
	return reviewId;
}

/** The audit log's view of a review: evidence appears only when there is some, before or after. */
function auditSnapshot(db: AppDB, review: ExistingReview) {
	const evidence = listEvidence(db, review.id);
	return { ...snapshot(db, review), ...(evidence.length ? { evidence } : {}) };
}

/** The review as sent, refused with what is missing unless every response is scored and ranked. */
function parseComplete(db: AppDB, ctx: ItemContext, raw: unknown): ReviewInput {
	const input = parseInput(db, raw, ctx);
	const problems = completenessProblems(ctx.responseIds, ctx.scalePoints, input);
	if (problems.length) throw new DomainError(problems.join(' '));
	return input;
}

/**
 * The item and the researcher's standing on it, for a draft or a skip: refused unless the batch
 * is open, the item is theirs to work on, and their review of it is not submitted yet.
 */
function openUnsubmitted(
	db: AppDB,
	userId: number,
	itemId: number,
	now: Date,
	whenSubmitted: string
) {
	const target = openWriteTarget(db, userId, itemId, now);
	requireOpen(target.ctx);
	if (target.existing?.status === 'submitted') {
		requireEditable(target.ctx);
		throw new DomainError(whenSubmitted, undefined, 409);
	}
	requireHeld(target);
	return target;
}

/**
 * Saves work in progress, and keeps the item reserved: the lease held is renewed; a draft
 * saved after its lease lapsed takes a new one only while the item has room and the
 * researcher's quota allows. It never changes a submitted review: that is an edit.
 */
export function saveDraft(
	db: AppDB,
	userId: number,
	itemId: number,
	raw: unknown,
	now = new Date()
) {
	return db.$client
		.transaction(() => {
			const target = openUnsubmitted(
				db,
				userId,
				itemId,
				now,
				'This review is already submitted; open it from My reviews to change it.'
			);
			const { ctx, existing } = target;
			const input = parseInput(db, raw, ctx);
			writeWithEvidence(
				db,
				ctx,
				userId,
				existing,
				input,
				{ status: 'draft', skipReason: null, submittedAt: null },
				now
			);
			if (target.held || (hasRoom(db, userId, ctx, now) && underQuota(db, userId, target))) {
				takeLease(db, userId, ctx.batchId, itemId, now);
			}
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
				const existing = findReview(db, userId, itemId);
				writeWithEvidence(db, ctx, userId, existing, e.input, draft, now);
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
			const target = openWriteTarget(db, userId, itemId, now);
			const { ctx, existing, held } = target;
			const base = { batchId: ctx.batchId, calibration: ctx.calibration };
			if (existing?.status === 'submitted')
				return { reviewId: existing.id, duplicate: true, ...base };
			requireOpen(ctx);
			requireHeld(target);
			requireQuota(db, userId, target);
			const input = parseComplete(db, ctx, raw);
			// A lease held already counts as one of the item's slots.
			const room = held ? ctx.submittedCount < ctx.overlap : hasRoom(db, userId, ctx, now);
			if (!room) throw new LateSubmit(input);
			const reviewId = writeWithEvidence(
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
			// The dashboard's tallies are refreshed off the request path (dashboard/tallies/stale.ts);
			// the mark commits with the review, so a crash cannot lose it. A lead's decision and a
			// review import, rarer, still refresh at once.
			markItemStale(db.$client, ctx.batchId, itemId);
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
			const target = openUnsubmitted(
				db,
				userId,
				itemId,
				now,
				'This review is already submitted; it cannot be skipped.'
			);
			requireQuota(db, userId, target);
			const { ctx, existing } = target;
			writeWithEvidence(
				db,
				ctx,
				userId,
				existing,
				parseInput(db, raw, ctx),
				{ status: 'skipped', skipReason: why, submittedAt: null },
				now
			);
			releaseLease(db, userId, itemId);
		})
		.immediate();
}

/**
 * Changes a submitted review until its batch is locked, except in a calibration batch, where
 * a submitted review is final (see requireEditable). The audit log keeps old and new.
 */
export function editSubmittedReview(
	db: AppDB,
	userId: number,
	itemId: number,
	raw: unknown,
	now = new Date()
): void {
	db.$client
		.transaction(() => {
			const { ctx, existing } = openWriteTarget(db, userId, itemId, now);
			requireOpen(ctx);
			if (!existing || existing.status !== 'submitted') {
				throw new DomainError(
					'There is no submitted review of yours to change here.',
					undefined,
					404
				);
			}
			requireEditable(ctx);
			const input = parseComplete(db, ctx, raw);
			const before = auditSnapshot(db, existing);
			const state = { status: 'submitted', skipReason: null, submittedAt: existing.submitted_at };
			writeWithEvidence(db, ctx, userId, existing, input, state, now);
			markItemStale(db.$client, ctx.batchId, itemId); // as a submit does
			const after = auditSnapshot(db, findReview(db, userId, itemId)!);
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
