import { requireRole } from '$lib/server/auth/guard';
import { listBatches } from '$lib/server/batches';
import {
	compareCheckpoints,
	compareSearch,
	listBatchModels,
	parseCompareQuery
} from '$lib/server/compare';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	requireRole('lead');
	const db = getDb();
	const query = parseCompareQuery(url.searchParams);
	return {
		query,
		search: compareSearch(query),
		batches: listBatches(db).map(({ id, name, status, constitution, itemCount }) => ({
			id,
			name,
			status,
			constitution,
			itemCount
		})),
		models: listBatchModels(db, query.batchIds),
		result: query.batchIds.length > 0 ? await compareCheckpoints(db, query) : null
	};
};
