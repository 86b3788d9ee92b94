import { error, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { DomainError } from '$lib/server/errors';
import { domainFailure } from '$lib/server/forms';
import {
	editSubmittedReview,
	goToNext,
	loadReviewPage,
	parsePayload,
	renewLease,
	saveStep,
	skipStep,
	submitStep,
	write
} from '$lib/server/reviews';
import { idParam } from '$lib/server/routing';
import { asAction } from '../../steps.server';
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
	return { form, payload: parsePayload(String(form.get('payload') ?? '{}')) };
}

// The page posts save, submit and skip to the JSON endpoints beside it (./save, ./submit,
// ./skip) once JavaScript runs; these actions are the same steps without it (steps.server.ts).
export const actions: Actions = {
	save: async ({ request, params }) => {
		const user = requireUser();
		const { batchId, itemId } = ids(params);
		try {
			const { payload } = await payloadOf(request);
			return asAction(await saveStep(user.id, batchId, itemId, payload));
		} catch (e) {
			return domainFailure(e);
		}
	},
	submit: async ({ request, params }) => {
		const user = requireUser();
		const { batchId, itemId } = ids(params);
		let payload;
		try {
			({ payload } = await payloadOf(request));
		} catch (e) {
			return domainFailure(e);
		}
		return asAction(await submitStep(user.id, batchId, itemId, payload));
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
		let form, payload;
		try {
			({ form, payload } = await payloadOf(request));
		} catch (e) {
			return domainFailure(e);
		}
		const reason = String(form.get('reason') ?? '');
		return asAction(await skipStep(user.id, batchId, itemId, reason, payload));
	},
	next: async ({ params }) => {
		const user = requireUser();
		return asAction(await goToNext(user.id, ids(params).batchId));
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
