import type { Cookies } from '@sveltejs/kit';
import { recordAudit } from '../audit';
import type { DB } from '../db';
import type { User } from '../db/schema';
import { findUserForLogin } from '../users';
import { verifyAgainstDummy, verifyPassword } from './password';
import { loginSucceeded, reserveLoginAttempt } from './rate-limit';
import { createSession, SESSION_COOKIE, sessionCookieOptions } from './session';

export type LoginResult =
	| { ok: true; userId: number }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'rate_limited'; retryAfter: number };

/**
 * The one message for an unknown user, a wrong password, a disabled account and an external
 * reviewer (imported reviews, no login).
 */
export const LOGIN_FAILED_MESSAGE = 'That username and password do not match an active account.';

/**
 * Checks a username and password under the login limits, and audits the outcome. Attempts
 * refused by a delay are not audited one by one: an attacker could fill the log with them.
 */
export async function attemptLogin(
	db: DB,
	rawUsername: string,
	password: string,
	address: string
): Promise<LoginResult> {
	const username = rawUsername.trim().toLowerCase();
	const user = findUserForLogin(db, username);
	const reservation = reserveLoginAttempt(username, address, user !== undefined);
	if (!reservation.allowed) {
		return { ok: false, reason: 'rate_limited', retryAfter: reservation.retryAfter };
	}

	// An external reviewer has no password to check: the dummy spends the same time.
	const valid =
		user && !user.external
			? await verifyPassword(user.passwordHash, password)
			: await verifyAgainstDummy(password);
	if (!user || !valid || user.disabledAt || user.external) {
		auditLoginFailure(db, user, address, reservation.delayIfFailed);
		return { ok: false, reason: 'invalid' };
	}
	loginSucceeded(username, address);
	recordAudit(db, {
		actorId: user.id,
		action: 'auth.login',
		targetType: 'user',
		targetId: user.id,
		newValue: { address }
	});
	return { ok: true, userId: user.id };
}

/**
 * A username that matches no account is not written down: people type their password into the
 * username field by mistake, and the audit log cannot be cleaned afterwards.
 */
function auditLoginFailure(db: DB, user: User | undefined, address: string, delay: number) {
	const target = { targetType: 'user', targetId: user?.id ?? null };
	const who = user ? { username: user.username } : { username: null };
	const reason = !user
		? 'unknown_user'
		: user.external
			? 'external'
			: user.disabledAt
				? 'disabled'
				: 'wrong_password';
	recordAudit(db, {
		actorId: null,
		action: 'auth.login_failed',
		...target,
		newValue: { ...who, address, reason }
	});
	if (delay > 0) {
		recordAudit(db, {
			actorId: null,
			action: 'auth.login_delayed',
			...target,
			newValue: { ...who, address, seconds: delay }
		});
	}
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
