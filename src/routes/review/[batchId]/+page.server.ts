import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { getBatch } from '$lib/server/batches';
import { getDb } from '$lib/server/db';
import { listMyBatches, startReviewing } from '$lib/server/reviews';
import { idParam } from '$lib/server/routing';
import { asAction } from './steps.server';
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

// Without JavaScript; the enhanced page posts to ./next (+server.ts) instead.
export const actions: Actions = {
	next: async ({ params }) => {
		const user = requireUser();
		return asAction(await startReviewing(user.id, idParam(params.batchId, 'batch')));
	}
};
