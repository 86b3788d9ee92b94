import { error, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { inGroupCommit } from '$lib/server/db/group-commit';
import { DomainError } from '$lib/server/errors';
import { domainFailure } from '$lib/server/forms';
import {
	claimNextItem,
	type Claim,
	editSubmittedReview,
	loadReviewPage,
	renewLease,
	saveDraft,
	skipItem,
	submitReview
} from '$lib/server/reviews';
import { idParam } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const user = requireUser();
	const batchId = idParam(params.batchId, 'batch');
	const data = loadReviewPage(getDb(), user.id, batchId, idParam(params.itemId, 'item'));
	if (!data) error(404, 'This item is not in your queue. Go back to the batch for your next item.');
	return data;
};

function ids(params: { batchId: string; itemId: string }) {
	return { batchId: idParam(params.batchId, 'batch'), itemId: idParam(params.itemId, 'item') };
}

async function payloadOf(request: Request): Promise<{ form: FormData; payload: unknown }> {
	const form = await request.formData();
	try {
		return { form, payload: JSON.parse(String(form.get('payload') ?? '{}')) };
	} catch {
		throw new DomainError('The review could not be read: reload the page.');
	}
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
function goTo(next: ReturnType<typeof nextFor>, batchId: number): never {
	// A closed batch or a removed assignment: the batch page says so.
	if (next.itemId === null && next.reason === 'closed') redirect(303, `/review/${batchId}`);
	if (next.itemId === null) redirect(303, `/review/${batchId}?finished=${next.reason}`);
	redirect(303, `/review/${batchId}/items/${next.itemId}`);
}

/** Runs a review write in the database's next group commit (see group-commit.ts). */
function write<T>(work: () => T): Promise<T> {
	return inGroupCommit(getDb(), work);
}

export const actions: Actions = {
	save: async ({ request, params }) => {
		const user = requireUser();
		const { itemId } = ids(params);
		try {
			const { payload } = await payloadOf(request);
			const { savedAt } = await write(() => saveDraft(getDb(), user.id, itemId, payload));
			return { savedAt: savedAt.toISOString() };
		} catch (e) {
			return domainFailure(e);
		}
	},
	submit: async ({ request, params }) => {
		const user = requireUser();
		const { batchId, itemId } = ids(params);
		let outcome;
		try {
			const { payload } = await payloadOf(request);
			outcome = await write(() => {
				const result = submitReview(getDb(), user.id, itemId, payload);
				// Calibration: show the reference labels beside the researcher's own scores first.
				return { result, next: result.calibration ? null : nextFor(user.id, batchId) };
			});
		} catch (e) {
			return domainFailure(e);
		}
		if (!outcome.next) redirect(303, `/review/${batchId}/items/${itemId}?submitted=1`);
		goTo(outcome.next, batchId);
	},
	update: async ({ request, params }) => {
		const user = requireUser();
		const { itemId } = ids(params);
		try {
			const { payload } = await payloadOf(request);
			editSubmittedReview(getDb(), user.id, itemId, payload);
		} catch (e) {
			return domainFailure(e);
		}
		redirect(303, '/reviews?updated=1');
	},
	skip: async ({ request, params }) => {
		const user = requireUser();
		const { batchId, itemId } = ids(params);
		let next;
		try {
			const { form, payload } = await payloadOf(request);
			const reason = String(form.get('reason') ?? '');
			next = await write(() => {
				skipItem(getDb(), user.id, itemId, reason, payload);
				return nextFor(user.id, batchId);
			});
		} catch (e) {
			return domainFailure(e);
		}
		goTo(next, batchId);
	},
	next: async ({ params }) => {
		const user = requireUser();
		const { batchId } = ids(params);
		goTo(await write(() => nextFor(user.id, batchId)), batchId);
	},
	renew: async ({ params }) => {
		const user = requireUser();
		const { itemId } = ids(params);
		return { held: await write(() => renewLease(getDb(), user.id, itemId)) };
	}
};
