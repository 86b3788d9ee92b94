import { json } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** Public liveness check for process managers and the test harness; it says nothing private. */
export const GET: RequestHandler = () => {
	getDb().get(sql`select 1`);
	return json({ ok: true });
};
