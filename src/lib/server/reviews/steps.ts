// The review page's steps (claim the next item, save, submit, skip), each answered once as an
// outcome that every door turns into a reply: the form actions (for the page without
// JavaScript), the JSON endpoints beside them (`next`, `items/[itemId]/save|submit|skip`),
// which the enhanced page posts to, and the review lane (http/review-lane.ts), which answers
// those same posts straight from Node's request. The checks are the domain's, the same behind
// every door.
import { getDb } from '../db';
import { inGroupCommit } from '../db/group-commit';
import { DomainError } from '../errors';
import { domainFailure, formError, type FieldErrors } from '../forms';
import { claimNextItem, type Claim } from './queue';
import { requireItemInBatch } from './rows';
import { saveDraft, skipItem, submitReview } from './writes';

/** An action's result as the page applies it (SvelteKit's ActionResult, without `error`). */
export type StepOutcome =
	| { type: 'redirect'; status: 303; location: string }
	| { type: 'success'; status: 200; data: { savedAt: string } }
	| {
			type: 'failure';
			status: number;
			data: { errors: FieldErrors; values: Record<string, string> };
	  };

const goTo = (location: string): StepOutcome => ({ type: 'redirect', status: 303, location });

/** An expected domain refusal as the page shows it; anything else is rethrown. */
function refusal(e: unknown): StepOutcome {
	const { status, data } = domainFailure(e);
	return { type: 'failure', status, data };
}

/** The review a write carries, already parsed from a form field or a JSON body. */
export function parsePayload(text: string | null): unknown {
	try {
		return JSON.parse(text ?? '{}');
	} catch {
		throw new DomainError('The review could not be read: reload the page.');
	}
}

type StepBody = { payload: unknown; reason: string };

/** A JSON endpoint's body: `{ payload, reason? }`; anything else is refused the same way. */
function parseStepBody(text: string): StepBody {
	const body = parsePayload(text) as { payload?: unknown; reason?: unknown };
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new DomainError('The review could not be read: reload the page.');
	}
	return {
		payload: body.payload ?? {},
		reason: typeof body.reason === 'string' ? body.reason : ''
	};
}

/** The researcher's next item, or why there is none (the batch closed or their assignment went). */
function nextFor(userId: number, batchId: number): Claim | { itemId: null; reason: 'closed' } {
	try {
		return claimNextItem(getDb(), userId, batchId);
	} catch (e) {
		if (e instanceof DomainError) return { itemId: null, reason: 'closed' };
		throw e;
	}
}

/** Straight on to the next item, or back to the batch page when there is none. */
function onwards(next: ReturnType<typeof nextFor>, batchId: number): StepOutcome {
	// A closed batch or a removed assignment: the batch page says so.
	if (next.itemId === null && next.reason === 'closed') return goTo(`/review/${batchId}`);
	if (next.itemId === null) return goTo(`/review/${batchId}?finished=${next.reason}`);
	return goTo(`/review/${batchId}/items/${next.itemId}`);
}

/**
 * Runs a review write in the database's next group commit (see group-commit.ts), for an item
 * of the batch the address names: the domain checks the item's own batch, not the address's.
 */
export function write<T>(batchId: number, itemId: number, work: () => T): Promise<T> {
	return inGroupCommit(getDb(), () => {
		requireItemInBatch(getDb(), batchId, itemId);
		return work();
	});
}

/** The batch page's "Start reviewing": the next item, or a word on why there is none. */
export async function startReviewing(userId: number, batchId: number): Promise<StepOutcome> {
	let claim;
	try {
		// The queue's hot path shares commits with the review page's writes (group-commit.ts).
		claim = await inGroupCommit(getDb(), () => claimNextItem(getDb(), userId, batchId));
	} catch (e) {
		return refusal(e);
	}
	if (claim.itemId !== null) return goTo(`/review/${batchId}/items/${claim.itemId}`);
	const { status, data } = formError(
		200,
		claim.reason === 'quota'
			? 'You have reached your quota for this batch. Thank you!'
			: 'Nothing left for you in this batch right now. Items held by others may come back later.'
	);
	return { type: 'failure', status, data };
}

/** The item page's "Next item", after a calibration review's labels were shown. */
export async function goToNext(userId: number, batchId: number): Promise<StepOutcome> {
	return onwards(await inGroupCommit(getDb(), () => nextFor(userId, batchId)), batchId);
}

export async function saveStep(
	userId: number,
	batchId: number,
	itemId: number,
	payload: unknown
): Promise<StepOutcome> {
	try {
		const { savedAt } = await write(batchId, itemId, () =>
			saveDraft(getDb(), userId, itemId, payload)
		);
		return { type: 'success', status: 200, data: { savedAt: savedAt.toISOString() } };
	} catch (e) {
		return refusal(e);
	}
}

export async function submitStep(
	userId: number,
	batchId: number,
	itemId: number,
	payload: unknown
): Promise<StepOutcome> {
	let outcome;
	try {
		outcome = await write(batchId, itemId, () => {
			const result = submitReview(getDb(), userId, itemId, payload);
			// Calibration: show the reference labels beside the researcher's own scores first.
			return { result, next: result.calibration ? null : nextFor(userId, batchId) };
		});
	} catch (e) {
		return refusal(e);
	}
	if (!outcome.next) return goTo(`/review/${batchId}/items/${itemId}?submitted=1`);
	return onwards(outcome.next, batchId);
}

export async function skipStep(
	userId: number,
	batchId: number,
	itemId: number,
	reason: string,
	payload: unknown
): Promise<StepOutcome> {
	let next;
	try {
		next = await write(batchId, itemId, () => {
			skipItem(getDb(), userId, itemId, reason, payload);
			return nextFor(userId, batchId);
		});
	} catch (e) {
		return refusal(e);
	}
	return onwards(next, batchId);
}

/** A step as the JSON endpoints name it: the batch's `next`, or a write to one of its items. */
export type StepRoute =
	| { step: 'next'; batchId: number }
	| { step: 'save' | 'submit' | 'skip'; batchId: number; itemId: number };

/**
 * A JSON endpoint's step, run for a signed-in user on the body as sent: `{ payload, reason? }`
 * for the writes (a body that cannot be read is refused as the page shows it); `next` reads none.
 */
export async function runJsonStep(
	userId: number,
	route: StepRoute,
	body: string
): Promise<StepOutcome> {
	if (route.step === 'next') return startReviewing(userId, route.batchId);
	let parsed;
	try {
		parsed = parseStepBody(body);
	} catch (e) {
		return refusal(e);
	}
	const { batchId, itemId } = route;
	const { payload, reason } = parsed;
	if (route.step === 'save') return saveStep(userId, batchId, itemId, payload);
	if (route.step === 'submit') return submitStep(userId, batchId, itemId, payload);
	return skipStep(userId, batchId, itemId, reason, payload);
}
