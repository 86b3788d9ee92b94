import { createSession, SESSION_COOKIE } from '../../src/lib/server/auth/session';
import type { DB } from '../../src/lib/server/db';

/** A session cookie for a user, made straight in the database (no login round trip). */
export function sessionCookieFor(db: DB, userId: number): string {
	return `${SESSION_COOKIE}=${createSession(db, userId).token}`;
}

/**
 * Posts a form to a SvelteKit action the way `use:enhance` does, and returns the action's
 * JSON result: { type: 'success' | 'failure' | 'redirect' | 'error', status, ... }.
 */
export async function postAction(
	baseUrl: string,
	path: string,
	fields: Record<string, string>,
	cookie?: string
): Promise<{ type: string; status: number; location?: string; data?: string }> {
	const res = await fetch(baseUrl + path, {
		method: 'POST',
		headers: {
			origin: baseUrl,
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			'content-type': 'application/x-www-form-urlencoded',
			...(cookie ? { cookie } : {})
		},
		body: new URLSearchParams(fields),
		redirect: 'manual'
	});
	const text = await res.text();
	try {
		// An `error` result carries its status only on the response itself.
		return { status: res.status, ...JSON.parse(text) };
	} catch {
		return { type: 'http', status: res.status, data: text };
	}
}
