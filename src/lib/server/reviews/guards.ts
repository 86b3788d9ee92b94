// What every review write must pass before it writes anything: the researcher is assigned,
// the batch is open, the item is theirs to work on, and their quota holds. Each check is one
// indexed lookup, run inside the write's own transaction so that nothing changes in between
// (the queue's hot path: see group-commit.ts).
import type { AppDB } from '../db';
import { DomainError } from '../errors';
import { requireAssignment } from './assignments';
import { countDone, heldLease, othersLiveLeases } from './queue';
import { findReview, loadItemContext, type ExistingReview, type ItemContext } from './rows';

export type WriteTarget = {
	ctx: ItemContext;
	quota: number | null;
	/** The researcher's own review of the item, whatever its status. */
	existing: ExistingReview | undefined;
	/** Whether the researcher holds a live lease on the item. */
	held: boolean;
};

/** The item and the researcher's standing on it; refused when they are not assigned. */
export function openWriteTarget(db: AppDB, userId: number, itemId: number, now: Date): WriteTarget {
	const ctx = loadItemContext(db, itemId);
	// Removed from the batch: their reviews stay, but nothing of theirs there changes any more.
	const { quota } = requireAssignment(db, userId, ctx.batchId);
	return {
		ctx,
		quota,
		existing: findReview(db, userId, itemId),
		held: heldLease(db, userId, itemId, now)
	};
}

/** Reviews change only in an open batch: a draft one takes none yet, a locked one none again. */
export function requireOpen(ctx: ItemContext): void {
	if (ctx.status === 'locked') {
		throw new DomainError(
			'This batch is locked: its reviews can no longer change.',
			undefined,
			409
		);
	}
	if (ctx.status !== 'open') {
		throw new DomainError(`This batch is ${ctx.status}: it takes no reviews now.`, undefined, 409);
	}
}

/**
 * Work on an item needs the queue to have handed it over: a live lease, or the researcher's
 * own review of it (a draft from an earlier lease). Without this rule any item id could be
 * written, past the overlap and past other people's claims.
 */
export function requireHeld(target: WriteTarget): void {
	if (target.held || target.existing) return;
	throw new DomainError(
		'This item is not held for you: go back to the batch for your next item.',
		undefined,
		409
	);
}

const DONE = new Set(['submitted', 'skipped']);

/** Whether the researcher may still finish an item in this batch (submit or skip it). */
export function underQuota(db: AppDB, userId: number, target: WriteTarget): boolean {
	if (target.quota === null || DONE.has(target.existing?.status ?? '')) return true;
	return countDone(db, userId, target.ctx.batchId) < target.quota;
}

/** Refuses a submit or skip that would take the researcher past their quota. */
export function requireQuota(db: AppDB, userId: number, target: WriteTarget): void {
	if (!underQuota(db, userId, target)) {
		throw new DomainError('You have reached your quota for this batch.', undefined, 409);
	}
}

/** Whether the item has a slot left beside its submitted reviews and other people's leases. */
export function hasRoom(db: AppDB, userId: number, ctx: ItemContext, now: Date): boolean {
	return ctx.submittedCount + othersLiveLeases(db, ctx.itemId, userId, now) < ctx.overlap;
}

/**
 * A calibration reviewer sees the reference labels once they submit; a review they could
 * still change after that would measure the labels, not the reviewer.
 */
export function requireEditable(ctx: ItemContext): void {
	if (ctx.calibration) {
		throw new DomainError(
			'A calibration review is final once its reference labels are shown: it can no longer change.',
			undefined,
			409
		);
	}
}
