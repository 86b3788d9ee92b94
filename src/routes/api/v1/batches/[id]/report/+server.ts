import { error } from '@sveltejs/kit';
import { hasRole } from '$lib/roles';
import { requireRole } from '$lib/server/auth/guard';
import { getBatch } from '$lib/server/batches';
import { getDb } from '$lib/server/db';
import { apiEndpoint } from '$lib/server/http';
import { buildReport } from '$lib/server/report';
import { idParam } from '$lib/server/routing';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = apiEndpoint(async ({ params }) => {
	const user = requireRole('lead');
	const db = getDb();
	const batchId = idParam(params.id, 'batch');
	if (!getBatch(db, batchId)) error(404, 'There is no such batch.');
	// As on the pages: leads see reviewers under pseudonyms, admins see who they are.
	const showNames = hasRole(user.role, 'admin');
	return Response.json(await buildReport(db, [batchId], { showNames }));
});
