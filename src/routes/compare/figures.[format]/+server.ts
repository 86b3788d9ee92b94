import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { compareCheckpoints, compareDownload, parseCompareQuery } from '$lib/server/compare';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** The compare page's figures as figures.csv or figures.json, for the page's own query. */
export const GET: RequestHandler = async ({ params, url }) => {
	requireRole('lead');
	if (params.format !== 'csv' && params.format !== 'json') error(404, 'Not found');
	const result = await compareCheckpoints(getDb(), parseCompareQuery(url.searchParams));
	return compareDownload(result, params.format);
};
