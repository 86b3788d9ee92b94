import { requireRole } from '$lib/server/auth/guard';
import { listBatches } from '$lib/server/batches';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	requireRole('lead');
	return {
		batches: listBatches(getDb()).map((b) => ({ ...b, createdAt: b.createdAt.toISOString() }))
	};
};
