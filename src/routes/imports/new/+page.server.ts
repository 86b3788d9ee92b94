import { requireRole } from '$lib/server/auth/guard';
import { listConstitutions } from '$lib/server/catalog';
import { getDb } from '$lib/server/db';
import { configuredLimits } from '$lib/server/imports';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	requireRole('lead');
	return {
		constitutions: listConstitutions(getDb()).map((c) => c.name),
		maxFileBytes: configuredLimits().maxFileBytes
	};
};
