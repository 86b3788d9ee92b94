import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import {
	createSession,
	invalidateSession,
	invalidateUserSessions,
	sessionCookieOptions,
	sessionIdFromToken,
	sessionIdleMs,
	validateSessionToken
} from './session';
import { sessions, users } from '../db/schema';
import { eq } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db';
import { changeRole } from '../users';

const HOUR = 60 * 60 * 1000;

describe('sessions', () => {
	it('validates its own token and stores only a hash of the secret', async () => {
		const db = createTestDb();
		const user = await makeUser(db);
		const { token } = createSession(db, user.id);
		const [id, secret] = token.split('.');
		const row = db.select().from(sessions).where(eq(sessions.id, id)).get();
		expect(row?.secretHash).toMatch(/^[0-9a-f]{64}$/);
		expect(row?.secretHash).not.toContain(secret);
		expect(validateSessionToken(db, token)?.user.username).toBe(user.username);
	});

	it('rejects forged, truncated and tampered tokens', async () => {
		const db = createTestDb();
		const user = await makeUser(db);
		const { token } = createSession(db, user.id);
		const id = sessionIdFromToken(token);
		expect(validateSessionToken(db, `${id}.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`)).toBeNull();
		expect(validateSessionToken(db, id)).toBeNull();
		expect(validateSessionToken(db, `${token}.x`)).toBeNull();
		expect(validateSessionToken(db, 'not-a-session.at-all')).toBeNull();
		expect(validateSessionToken(db, '')).toBeNull();
	});

	it('expires after the idle period and deletes the row', async () => {
		const db = createTestDb();
		const user = await makeUser(db);
		const start = new Date('2026-01-01T00:00:00Z');
		const { token } = createSession(db, user.id, start);
		const justBefore = new Date(start.getTime() + sessionIdleMs() - 1);
		expect(validateSessionToken(db, token, justBefore)).not.toBeNull();
		// That use renewed it: the deadline moved forward from the last use.
		const afterOriginalDeadline = new Date(start.getTime() + sessionIdleMs() + HOUR);
		expect(validateSessionToken(db, token, afterOriginalDeadline)).not.toBeNull();
		const longIdle = new Date(afterOriginalDeadline.getTime() + sessionIdleMs() + 1);
		expect(validateSessionToken(db, token, longIdle)).toBeNull();
		expect(db.select().from(sessions).all()).toHaveLength(0);
	});

	it('renews at most once an hour', async () => {
		const db = createTestDb();
		const user = await makeUser(db);
		const start = new Date('2026-01-01T00:00:00Z');
		const { token } = createSession(db, user.id, start);
		expect(validateSessionToken(db, token, new Date(start.getTime() + 60_000))?.renewed).toBe(
			false
		);
		const later = validateSessionToken(db, token, new Date(start.getTime() + 2 * HOUR));
		expect(later?.renewed).toBe(true);
		expect(later?.session.expiresAt.getTime()).toBe(start.getTime() + 2 * HOUR + sessionIdleMs());
	});

	it('ends a single session, or all of a user but one', async () => {
		const db = createTestDb();
		const user = await makeUser(db);
		const a = createSession(db, user.id).token;
		const b = createSession(db, user.id).token;
		const c = createSession(db, user.id).token;
		invalidateSession(db, sessionIdFromToken(a));
		expect(validateSessionToken(db, a)).toBeNull();
		invalidateUserSessions(db, user.id, sessionIdFromToken(b));
		expect(validateSessionToken(db, b)).not.toBeNull();
		expect(validateSessionToken(db, c)).toBeNull();
	});

	it('sets cookie attributes: Secure except on plain http to the loopback host', () => {
		const expires = new Date();
		const local = sessionCookieOptions(new URL('http://127.0.0.1:3000/'), expires);
		expect(local).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/', secure: false });
		expect(sessionCookieOptions(new URL('http://localhost:3000/'), expires).secure).toBe(false);
		expect(sessionCookieOptions(new URL('https://review.example.org/'), expires).secure).toBe(true);
		expect(sessionCookieOptions(new URL('http://review.internal/'), expires).secure).toBe(true);
	});

	describe('validated a moment ago', () => {
		it('answers again without the database, and never for a wrong secret', async () => {
			const db = createTestDb();
			const user = await makeUser(db);
			const { token } = createSession(db, user.id);
			const [id] = token.split('.');
			expect(validateSessionToken(db, token)).not.toBeNull();
			// Changed behind the map's back, through no path that would tell it.
			db.$client.prepare('UPDATE users SET display_name = ? WHERE id = ?').run('Renamed', user.id);
			expect(validateSessionToken(db, token)?.user.displayName).toBe(user.displayName);
			expect(validateSessionToken(db, `${id}.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`)).toBeNull();
			// Read again once the entry is older than a few seconds.
			const later = new Date(Date.now() + 10_000);
			expect(validateSessionToken(db, token, later)?.user.displayName).toBe('Renamed');
		});

		it('is forgotten when the session ends or the role changes in this process', async () => {
			const db = createTestDb();
			const admin = await makeUser(db, { role: 'admin' });
			const user = await makeUser(db);
			const a = createSession(db, user.id).token;
			const b = createSession(db, user.id).token;
			expect(validateSessionToken(db, a)?.user.role).toBe('researcher');
			expect(validateSessionToken(db, b)).not.toBeNull();
			changeRole(db, admin.id, user.id, 'lead');
			expect(validateSessionToken(db, a)?.user.role).toBe('lead');
			invalidateSession(db, sessionIdFromToken(a));
			expect(validateSessionToken(db, a)).toBeNull();
			invalidateUserSessions(db, user.id);
			expect(validateSessionToken(db, b)).toBeNull();
		});

		it('is not trusted after another connection commits (the admin CLI)', async () => {
			const dir = mkdtempSync(join(tmpdir(), 'session-cache-'));
			try {
				const db = openDatabase(join(dir, 'app.db'));
				const user = await makeUser(db);
				const { token } = createSession(db, user.id);
				expect(validateSessionToken(db, token)).not.toBeNull();
				const cli = openDatabase(join(dir, 'app.db'), { migrate: false });
				cli.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id)).run();
				cli.$client.close();
				// Whether anything changed is asked every 50 ms at most.
				expect(validateSessionToken(db, token, new Date(Date.now() + 60))).toBeNull();
				db.$client.close();
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		});
	});
});
