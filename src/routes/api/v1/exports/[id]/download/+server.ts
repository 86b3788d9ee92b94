import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { exportFileResponse } from '$lib/server/exports';
import { idParam } from '$lib/server/routing';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params }) => {
	requireRole('lead');
	return exportFileResponse(getDb(), idParam(params.id, 'export'));
};
