import { requireRole } from '$lib/server/auth/guard';
import { listConstitutions } from '$lib/server/catalog';
import { getDb } from '$lib/server/db';
import { configuredLimits } from '$lib/server/import-limits';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	requireRole('lead');
	return {
		constitutions: listConstitutions(getDb()).map((c) => c.name),
		maxFileMb: Math.floor(configuredLimits().maxFileBytes / 1048576)
	};
};
