import { error } from '@sveltejs/kit';
import { hasRole } from '$lib/roles';
import { requireRole } from '$lib/server/auth/guard';
import { getBatch } from '$lib/server/batches';
import { batchDashboard } from '$lib/server/dashboard';
import { getDb } from '$lib/server/db';
import { idParam } from '$lib/server/routing';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const user = requireRole('lead');
	const db = getDb();
	const found = getBatch(db, idParam(params.id, 'batch'));
	if (!found) error(404, 'There is no such batch.');
	const { batch } = found;
	return {
		batch: {
			id: batch.id,
			name: batch.name,
			status: batch.status,
			overlap: batch.overlap,
			scalePoints: batch.scalePoints
		},
		// Leads see reviewers under pseudonyms; admins see who they are.
		showsNames: hasRole(user.role, 'admin'),
		dashboard: await batchDashboard(db, batch.id, { showNames: hasRole(user.role, 'admin') })
	};
};
