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
	requireItemInBatch,
	saveDraft,
	skipItem,
	submitReview
} from '$lib/server/reviews';
import { idParam } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const user = requireUser();
	const batchId = idParam(params.batchId, 'batch');
	let data;
	try {
		data = loadReviewPage(getDb(), user.id, batchId, idParam(params.itemId, 'item'));
	} catch (e) {
		if (e instanceof DomainError) error(e.status, e.message);
		throw e;
	}
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

/**
 * Runs a review write in the database's next group commit (see group-commit.ts), for an item
 * of the batch the address names: the domain checks the item's own batch, not the address's.
 */
function write<T>(batchId: number, itemId: number, work: () => T): Promise<T> {
	return inGroupCommit(getDb(), () => {
		requireItemInBatch(getDb(), batchId, itemId);
		return work();
	});
}

export const actions: Actions = {
	save: async ({ request, params }) => {
		const user = requireUser();
		const { batchId, itemId } = ids(params);
		try {
			const { payload } = await payloadOf(request);
			const { savedAt } = await write(batchId, itemId, () =>
				saveDraft(getDb(), user.id, itemId, payload)
			);
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
			outcome = await write(batchId, itemId, () => {
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
		const { batchId, itemId } = ids(params);
		try {
			const { payload } = await payloadOf(request);
			await write(batchId, itemId, () => editSubmittedReview(getDb(), user.id, itemId, payload));
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
			next = await write(batchId, itemId, () => {
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
		goTo(await inGroupCommit(getDb(), () => nextFor(user.id, batchId)), batchId);
	},
	renew: async ({ params }) => {
		const user = requireUser();
		const { batchId, itemId } = ids(params);
		try {
			return { held: await write(batchId, itemId, () => renewLease(getDb(), user.id, itemId)) };
		} catch (e) {
			return domainFailure(e);
		}
	}
};
