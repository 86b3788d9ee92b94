import { requireUser } from '$lib/server/auth/guard';
import { idParam } from '$lib/server/routing';
import { answerJson } from '../steps.server';
import type { RequestHandler } from './$types';

/** The batch page's "Start reviewing", from the enhanced page (see steps.server.ts). */
export const POST: RequestHandler = ({ params, request }) => {
	const user = requireUser();
	return answerJson(user.id, { step: 'next', batchId: idParam(params.batchId, 'batch') }, request);
};
