import { error, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { getBatch } from '$lib/server/batches';
import { getDb } from '$lib/server/db';
import { inGroupCommit } from '$lib/server/db/group-commit';
import { domainFailure, formError } from '$lib/server/forms';
import { claimNextItem, listMyBatches } from '$lib/server/reviews';
import { idParam } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const user = requireUser();
	const batchId = idParam(params.batchId, 'batch');
	const mine = listMyBatches(getDb(), user.id).find((b) => b.id === batchId);
	if (!mine) error(403, 'You are not assigned to this batch. Ask an admin to assign you.');
	const found = getBatch(getDb(), batchId);
	return {
		batch: {
			id: mine.id,
			name: mine.name,
			status: mine.status,
			overlap: found?.batch.overlap ?? 0
		},
		progress: mine.progress
	};
};

export const actions: Actions = {
	next: async ({ params }) => {
		const user = requireUser();
		const batchId = idParam(params.batchId, 'batch');
		let claim;
		try {
			// The queue's hot path shares commits with the review page's writes (group-commit.ts).
			claim = await inGroupCommit(getDb(), () => claimNextItem(getDb(), user.id, batchId));
		} catch (e) {
			return domainFailure(e);
		}
		if (claim.itemId === null) {
			return formError(
				200,
				claim.reason === 'quota'
					? 'You have reached your quota for this batch. Thank you!'
					: 'Nothing left for you in this batch right now. Items held by others may come back later.'
			);
		}
		redirect(303, `/review/${batchId}/items/${claim.itemId}`);
	}
};
