import { error, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { DomainError } from '$lib/server/errors';
import { domainFailure } from '$lib/server/forms';
import { loadReviewPage } from '$lib/server/review-page';
import {
	claimNextItem,
	editSubmittedReview,
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

/** Straight on to the next item, or back to the batch page when there is none. */
function goToNext(userId: number, batchId: number): never {
	let next;
	try {
		next = claimNextItem(getDb(), userId, batchId);
	} catch (e) {
		// The batch was locked or the assignment removed meanwhile: the batch page says so.
		if (e instanceof DomainError) redirect(303, `/review/${batchId}`);
		throw e;
	}
	if (next.itemId === null) redirect(303, `/review/${batchId}?finished=${next.reason}`);
	redirect(303, `/review/${batchId}/items/${next.itemId}`);
}

export const actions: Actions = {
	save: async ({ request, params }) => {
		const user = requireUser();
		const { itemId } = ids(params);
		try {
			const { payload } = await payloadOf(request);
			const { savedAt } = saveDraft(getDb(), user.id, itemId, payload);
			return { savedAt: savedAt.toISOString() };
		} catch (e) {
			return domainFailure(e);
		}
	},
	submit: async ({ request, params }) => {
		const user = requireUser();
		const { batchId, itemId } = ids(params);
		let result;
		try {
			const { payload } = await payloadOf(request);
			result = submitReview(getDb(), user.id, itemId, payload);
		} catch (e) {
			return domainFailure(e);
		}
		// Calibration: show the reference labels beside the researcher's own scores first.
		if (result.calibration) redirect(303, `/review/${batchId}/items/${itemId}?submitted=1`);
		goToNext(user.id, batchId);
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
		try {
			const { form, payload } = await payloadOf(request);
			skipItem(getDb(), user.id, itemId, String(form.get('reason') ?? ''), payload);
		} catch (e) {
			return domainFailure(e);
		}
		goToNext(user.id, batchId);
	},
	next: ({ params }) => {
		const user = requireUser();
		goToNext(user.id, ids(params).batchId);
	},
	renew: ({ params }) => {
		const user = requireUser();
		return { held: renewLease(getDb(), user.id, ids(params).itemId) };
	}
};
