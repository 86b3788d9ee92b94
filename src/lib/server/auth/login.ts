import type { Cookies } from '@sveltejs/kit';
import type { DB } from '../db';
import { findUserForLogin } from '../users';
import { verifyAgainstDummy, verifyPassword } from './password';
import { loginLimits, loginRetryAfter, recordLoginFailure } from './rate-limit';
import { createSession, SESSION_COOKIE, sessionCookieOptions } from './session';

export type LoginResult =
	| { ok: true; userId: number }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'rate_limited'; retryAfter: number };

/** The one message for an unknown user, a wrong password and a disabled account. */
export const LOGIN_FAILED_MESSAGE = 'That username and password do not match an active account.';

export async function attemptLogin(
	db: DB,
	rawUsername: string,
	password: string,
	address: string
): Promise<LoginResult> {
	const username = rawUsername.trim().toLowerCase();
	const retryAfter = loginRetryAfter(username, address);
	if (retryAfter > 0) return { ok: false, reason: 'rate_limited', retryAfter };

	const user = findUserForLogin(db, username);
	const valid = user
		? await verifyPassword(user.passwordHash, password)
		: await verifyAgainstDummy(password);
	if (!user || !valid || user.disabledAt) {
		recordLoginFailure(username, address);
		return { ok: false, reason: 'invalid' };
	}
	loginLimits.byUsername.reset(username);
	return { ok: true, userId: user.id };
}

export function startSession(db: DB, userId: number, cookies: Cookies, url: URL): void {
	const { token, expiresAt } = createSession(db, userId);
	cookies.set(SESSION_COOKIE, token, sessionCookieOptions(url, expiresAt));
}

// Control characters (a tab or newline is dropped or breaks the Location header) and
// backslashes (browsers read `/\evil` as `//evil`).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_IN_TARGET = /[\u0000-\u001f\u007f\\]/;

/**
 * Where to send someone after they sign in: `raw` read against the site's own origin, as a path,
 * and only if it stays on that origin. Anything else (another site, `javascript:`, a path a
 * browser would read as `//host`) goes home.
 */
export function safeRedirectTarget(raw: string | null, origin: string): string {
	if (!raw || UNSAFE_IN_TARGET.test(raw)) return '/';
	let url: URL;
	try {
		url = new URL(raw, origin);
	} catch {
		return '/';
	}
	if (url.origin !== new URL(origin).origin) return '/';
	const target = url.pathname + url.search + url.hash;
	// `/.//evil` normalises to `//evil`, which a browser reads as another host.
	return target.startsWith('//') ? '/' : target;
}
