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

/** Only same-site paths: an attacker's `redirectTo=https://evil` must not bounce users away. */
export function safeRedirectTarget(raw: string | null): string {
	if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
	return raw;
}
