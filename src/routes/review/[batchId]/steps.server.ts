// The review page's writes, each answered once as an outcome that both doors turn into a
// reply: the form actions (+page.server.ts, for the page without JavaScript) and the lean JSON
// endpoints beside them (`next`, `items/[itemId]/save|submit|skip`), which the enhanced page
// posts to because they skip the form-action machinery on the queue's hot path. The checks
// are the domain's (src/lib/server/reviews), the same behind either door.
import { fail, json, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { inGroupCommit } from '$lib/server/db/group-commit';
import { DomainError } from '$lib/server/errors';
import { domainFailure, formError, type FieldErrors, type FormFailure } from '$lib/server/forms';
import {
	claimNextItem,
	type Claim,
	requireItemInBatch,
	saveDraft,
	skipItem,
	submitReview
} from '$lib/server/reviews';

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

/** The outcome as a form action answers: a redirect is thrown, a failure is `fail`. */
export function asAction(outcome: StepOutcome): FormFailure | { savedAt: string } {
	if (outcome.type === 'redirect') redirect(303, outcome.location);
	if (outcome.type === 'failure') return fail(outcome.status, outcome.data);
	return outcome.data;
}

/** The outcome as the JSON endpoints answer: the page applies it as it would an action's. */
export function asJson(outcome: StepOutcome): Response {
	return json(outcome, { status: outcome.type === 'failure' ? outcome.status : 200 });
}

/** The review a write carries, already parsed from a form field or a JSON body. */
export function parsePayload(text: string | null): unknown {
	try {
		return JSON.parse(text ?? '{}');
	} catch {
		throw new DomainError('The review could not be read: reload the page.');
	}
}

export type StepBody = { payload: unknown; reason: string };

/** A JSON endpoint's body: `{ payload, reason? }`; anything else is refused the same way. */
async function readStepBody(request: Request): Promise<StepBody> {
	const body = parsePayload(await request.text()) as { payload?: unknown; reason?: unknown };
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new DomainError('The review could not be read: reload the page.');
	}
	return {
		payload: body.payload ?? {},
		reason: typeof body.reason === 'string' ? body.reason : ''
	};
}

/** A JSON endpoint's reply: the step run on the body, or the body's refusal. */
export async function answerJson(
	request: Request,
	step: (body: StepBody) => Promise<StepOutcome>
): Promise<Response> {
	let body;
	try {
		body = await readStepBody(request);
	} catch (e) {
		return asJson(refusal(e));
	}
	return asJson(await step(body));
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
