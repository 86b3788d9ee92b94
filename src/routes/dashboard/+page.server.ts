import { requireRole } from '$lib/server/auth/guard';
import { listBatchProgress } from '$lib/server/dashboard';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	requireRole('lead');
	return { batches: listBatchProgress(getDb()) };
};
