import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { hasRole } from '$lib/roles';
import { requireRole } from '$lib/server/auth/guard';
import { getBatch } from '$lib/server/batches';
import { getDb } from '$lib/server/db';
import { isBatchExported } from '$lib/server/exports';
import { domainFailure, parseForm } from '$lib/server/forms';
import { batchJudging, JUDGE_SHOWN_ORDER_KEY, sendToAdjudication } from '$lib/server/judging';
import { idParam } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const user = requireRole('lead');
	const db = getDb();
	const found = getBatch(db, idParam(params.id, 'batch'));
	if (!found) error(404, 'There is no such batch.');
	const { batch } = found;
	// Leads see reviewers under pseudonyms; admins see who they are.
	const showsNames = hasRole(user.role, 'admin');
	return {
		batch: { id: batch.id, name: batch.name, status: batch.status },
		showsNames,
		exported: isBatchExported(db, batch.id),
		shownOrderKey: JUDGE_SHOWN_ORDER_KEY,
		judging: await batchJudging(db, batch.id, { showNames: showsNames })
	};
};

const sendForm = z.object({ itemId: z.coerce.number().int().positive() });

export const actions: Actions = {
	send: async ({ params, request }) => {
		const user = requireRole('lead');
		const batchId = idParam(params.id, 'batch');
		const form = await request.formData();
		const parsed = parseForm(sendForm, form);
		if (parsed.failure) return parsed.failure;
		try {
			const sent = sendToAdjudication(getDb(), user.id, batchId, parsed.data.itemId);
			return { sent: { itemId: parsed.data.itemId, ...sent } };
		} catch (e) {
			return domainFailure(e, form);
		}
	}
};
