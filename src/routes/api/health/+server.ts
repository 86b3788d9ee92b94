import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { checkDatabase } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Public liveness check for process managers and the test harness; it says nothing private. */
export const GET: RequestHandler = () => {
	checkDatabase(getDb());
	return json({ ok: true });
};
