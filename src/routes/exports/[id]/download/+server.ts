import { recordAudit } from '$lib/server/audit';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { exportFileResponse } from '$lib/server/exports/download';
import { idParam } from '$lib/server/routing';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params }) => {
	const user = requireRole('lead');
	const db = getDb();
	const id = idParam(params.id, 'export');
	const response = exportFileResponse(db, id);
	// Only once the file is found: who took a copy of which training file.
	recordAudit(db, {
		actorId: user.id,
		action: 'export.download',
		targetType: 'export',
		targetId: id
	});
	return response;
};
