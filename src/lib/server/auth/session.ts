import { createHash } from 'node:crypto';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, eq, ne } from 'drizzle-orm';
import { numericSetting } from '../config';
import type { AppDB, DB } from '../db';
import { statement } from '../db/statements';
import { sessions, users, type User } from '../db/schema';
import { DomainError } from '../errors';

export const SESSION_COOKIE = 'tr_session';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Sessions die after this much inactivity; each use pushes the deadline back. */
export function sessionIdleMs(): number {
	return numericSetting('SESSION_IDLE_DAYS') * DAY_MS;
}

// Renewing on every request would write on every page view; once an hour is plenty.
const RENEW_AFTER_MS = 60 * 60 * 1000;

export type SessionUser = Pick<User, 'id' | 'username' | 'displayName' | 'role'>;
export type ValidatedSession = {
	session: { id: string; userId: number; expiresAt: Date };
	user: SessionUser;
	/** True when the expiry moved and the cookie must be sent again. */
	renewed: boolean;
};

function randomSecret(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

// Node's own SHA-256: the same hex digest as the JavaScript one it replaced, at a tenth of the
// time, and it runs on every request.
function hashSecret(secret: string): string {
	return createHash('sha256').update(secret).digest('hex');
}

/**
 * Creates a session and returns the token for the cookie: `<id>.<secret>`. An external
 * reviewer (reviews imported from another tool) never gets one, whatever the caller checked.
 */
export function createSession(
	db: DB,
	userId: number,
	now = new Date()
): { token: string; expiresAt: Date } {
	const owner = db
		.select({ external: users.external })
		.from(users)
		.where(eq(users.id, userId))
		.get();
	if (owner?.external) throw new DomainError('External reviewers cannot sign in.', undefined, 403);
	const id = randomSecret();
	const secret = randomSecret();
	const expiresAt = new Date(now.getTime() + sessionIdleMs());
	db.insert(sessions)
		.values({
			id,
			secretHash: hashSecret(secret),
			userId,
			createdAt: now,
			lastUsedAt: now,
			expiresAt
		})
		.run();
	return { token: `${id}.${secret}`, expiresAt };
}

/**
 * Sessions validated in the last few seconds, by session id. Every request validates its
 * session, and under load the query was a tenth of a review write's time; this map answers the
 * same question from memory. An entry is trusted only while nothing could have changed it:
 * - ending sessions and changing a role in this process drop the user's entries
 *   (invalidateSession, invalidateUserSessions, forgetValidatedSessions);
 * - a commit by another connection (the admin CLI resetting a password or disabling someone)
 *   changes the connection's `PRAGMA data_version`, read every VERSION_MS at most, and an
 *   entry is trusted only under the version it was read at: such a change applies within
 *   50 ms;
 * - whatever the map holds is checked again against the database after CACHE_MS at most, and
 *   expiry and renewal are decided on the entry's own times, exactly as from the row.
 * The secret is compared against its hash each time, in constant time, as from the row.
 */
const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;
type Validated = {
	client: AppDB['$client'];
	dataVersion: number;
	checkedAt: number;
	secretHash: string;
	lastUsedAt: number;
	expiresAt: number;
	user: SessionUser;
};
const validated = new Map<string, Validated>();

/** How often the map asks whether another connection committed: reading it costs a query. */
const VERSION_MS = 50;
const versions = new WeakMap<AppDB['$client'], { version: number; readAt: number }>();

function dataVersion(db: AppDB, now: number): number {
	let known = versions.get(db.$client);
	if (!known || now - known.readAt >= VERSION_MS || now < known.readAt) {
		const row = statement(db.$client, 'PRAGMA data_version').get() as { data_version: number };
		versions.set(db.$client, (known = { version: row.data_version, readAt: now }));
	}
	return known.version;
}

/** Drops the validated sessions of a user, so that their next request reads the database. */
export function forgetValidatedSessions(userId: number, exceptSessionId?: string): void {
	for (const [id, entry] of validated) {
		if (entry.user.id === userId && id !== exceptSessionId) validated.delete(id);
	}
}

function sameSecret(secretHash: string, secret: string): boolean {
	const expected = new TextEncoder().encode(secretHash);
	return constantTimeEqual(expected, new TextEncoder().encode(hashSecret(secret)));
}

function tokenParts(token: string): { id: string; secret: string } | null {
	const [id, secret, extra] = token.split('.');
	if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null;
	return { id, secret };
}

/**
 * The session when the validated map vouches for it as it stands, with nothing to write: not
 * expired, not due for renewal, checked against the database in the last few seconds. Else
 * null, and the caller leaves the request to validateSessionToken, which reads the row, renews
 * or ends the session, and sets or clears the cookie (the review lane, http/review-lane.ts).
 */
export function vouchedSession(
	db: AppDB,
	token: string,
	now = Date.now()
): ValidatedSession | null {
	const parts = tokenParts(token);
	if (!parts) return null;
	return recentlyValidated(db, parts.id, parts.secret, now, dataVersion(db, now));
}

/** The session from the map, when it may be trusted without the database (see `validated`). */
function recentlyValidated(
	db: AppDB,
	id: string,
	secret: string,
	now: number,
	version: number
): ValidatedSession | null {
	const entry = validated.get(id);
	if (!entry || entry.client !== db.$client || entry.dataVersion !== version) return null;
	const age = now - entry.checkedAt;
	if (age < 0 || age >= CACHE_MS) return null;
	// Expiry and renewal are the database path's to decide: it deletes or moves the row.
	if (entry.expiresAt <= now || now - entry.lastUsedAt >= RENEW_AFTER_MS) return null;
	if (!sameSecret(entry.secretHash, secret)) return null;
	return {
		session: { id, userId: entry.user.id, expiresAt: new Date(entry.expiresAt) },
		user: entry.user,
		renewed: false
	};
}

export function validateSessionToken(
	db: AppDB,
	token: string,
	now = new Date()
): ValidatedSession | null {
	const parts = tokenParts(token);
	if (!parts) return null;
	const { id, secret } = parts;
	const version = dataVersion(db, now.getTime());
	const recent = recentlyValidated(db, id, secret, now.getTime(), version);
	if (recent) return recent;
	validated.delete(id);

	// Runs on every request the map cannot answer: a cached statement, not a query built each time.
	const row = statement(
		db.$client,
		`SELECT s.secret_hash, s.user_id, s.last_used_at, s.expires_at,
		        u.username, u.display_name, u.role, u.disabled_at, u.external
		   FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`
	).get(id) as SessionRow | undefined;
	if (!row) return null;
	if (!sameSecret(row.secret_hash, secret)) return null;

	// A session for an external reviewer cannot be made; one found anyway is refused.
	if (row.disabled_at !== null || row.external || row.expires_at <= now.getTime()) {
		db.delete(sessions).where(eq(sessions.id, id)).run();
		return null;
	}

	let expiresAt = new Date(row.expires_at);
	let lastUsedAt = row.last_used_at;
	let renewed = false;
	if (now.getTime() - row.last_used_at >= RENEW_AFTER_MS) {
		expiresAt = new Date(now.getTime() + sessionIdleMs());
		lastUsedAt = now.getTime();
		db.update(sessions).set({ lastUsedAt: now, expiresAt }).where(eq(sessions.id, id)).run();
		renewed = true;
	}
	const user: SessionUser = {
		id: row.user_id,
		username: row.username,
		displayName: row.display_name,
		role: row.role
	};
	if (validated.size >= CACHE_MAX) validated.clear();
	validated.set(id, {
		client: db.$client,
		dataVersion: version,
		checkedAt: now.getTime(),
		secretHash: row.secret_hash,
		lastUsedAt,
		expiresAt: expiresAt.getTime(),
		user
	});
	return { session: { id, userId: row.user_id, expiresAt }, user, renewed };
}

type SessionRow = {
	secret_hash: string;
	user_id: number;
	last_used_at: number;
	expires_at: number;
	username: string;
	display_name: string;
	role: User['role'];
	disabled_at: number | null;
	external: number;
};

export function sessionIdFromToken(token: string): string {
	return token.split('.')[0] ?? '';
}

export function invalidateSession(db: DB, sessionId: string): void {
	validated.delete(sessionId);
	db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

/** Ends every session of a user, or every one but `exceptSessionId`. */
export function invalidateUserSessions(db: DB, userId: number, exceptSessionId?: string): void {
	const where = exceptSessionId
		? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
		: eq(sessions.userId, userId);
	forgetValidatedSessions(userId, exceptSessionId);
	db.delete(sessions).where(where).run();
}

/** Secure everywhere except plain http on the loopback host, where browsers would drop it. */
export function sessionCookieOptions(url: URL, expiresAt: Date) {
	const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: url.protocol === 'https:' || !loopback,
		expires: expiresAt
	};
}
