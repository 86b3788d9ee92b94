import { recordExportDownload } from '$lib/server/audit';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { exportFileResponse } from '$lib/server/exports';
import { apiEndpoint } from '$lib/server/http';
import { idParam } from '$lib/server/routing';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = apiEndpoint(({ params }) => {
	const user = requireRole('lead');
	const id = idParam(params.id, 'export');
	const response = exportFileResponse(getDb(), id);
	recordExportDownload(getDb(), user.id, id);
	return response;
});
