import { requireUser } from '$lib/server/auth/guard';
import { idParam } from '$lib/server/routing';
import { answerJson } from '../../../steps.server';
import type { RequestHandler } from './$types';

/** Saves the draft, from the enhanced review page (see steps.server.ts). */
export const POST: RequestHandler = ({ params, request }) => {
	const user = requireUser();
	const batchId = idParam(params.batchId, 'batch');
	const itemId = idParam(params.itemId, 'item');
	return answerJson(user.id, { step: 'save', batchId, itemId }, request);
};
