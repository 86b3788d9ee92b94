import { requireUser } from '$lib/server/auth/guard';
import { idParam } from '$lib/server/routing';
import { asJson, startReviewing } from '../steps.server';
import type { RequestHandler } from './$types';

/** The batch page's "Start reviewing", from the enhanced page (see steps.server.ts). */
export const POST: RequestHandler = async ({ params }) => {
	const user = requireUser();
	return asJson(await startReviewing(user.id, idParam(params.batchId, 'batch')));
};
