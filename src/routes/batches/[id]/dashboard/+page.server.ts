import { error } from '@sveltejs/kit';
import { hasRole } from '$lib/roles';
import { requireRole } from '$lib/server/auth/guard';
import { getBatch } from '$lib/server/batches';
import {
	batchAlphaIntervals,
	batchDashboard,
	batchGoldSummary,
	dashboardReadings,
	leaveOneOutReadings
} from '$lib/server/dashboard';
import { getDb } from '$lib/server/db';
import { GOLD_ACCURACY_WARNING, MIN_GOLD_ITEMS } from '$lib/server/stats';
import { idParam } from '$lib/server/routing';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const user = requireRole('lead');
	const db = getDb();
	const found = getBatch(db, idParam(params.id, 'batch'));
	if (!found) error(404, 'There is no such batch.');
	const { batch } = found;
	// Leads see reviewers under pseudonyms; admins see who they are.
	const showNames = hasRole(user.role, 'admin');
	const dashboard = await batchDashboard(db, batch.id, { showNames });
	return {
		batch: {
			id: batch.id,
			name: batch.name,
			status: batch.status,
			overlap: batch.overlap,
			scalePoints: batch.scalePoints
		},
		showsNames: showNames,
		dashboard,
		readings: await dashboardReadings(db, batch.id, dashboard),
		gold: {
			...batchGoldSummary(db, batch.id, { showNames }),
			minItems: MIN_GOLD_ITEMS,
			threshold: GOLD_ACCURACY_WARNING
		},
		// Not awaited: the pass behind these takes seconds on a large batch, so the page streams
		// in first and shows "computing…" where they go until they arrive.
		// Reviewers' overlaps stay on the server: they are keyed by user id.
		alphaIntervals: batchAlphaIntervals(db, batch.id).then(
			({ ordinal, interval, items, resamples }) => ({ ordinal, interval, items, resamples })
		),
		leaveOneOut: leaveOneOutReadings(db, batch.id, dashboard.agreement, { showNames })
	};
};
