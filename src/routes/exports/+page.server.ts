import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { listExports } from '$lib/server/exports';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	requireRole('lead');
	return {
		exports: listExports(getDb()).map((e) => ({ ...e, createdAt: e.createdAt.toISOString() }))
	};
};
