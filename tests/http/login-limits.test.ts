import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../src/lib/server/db/schema';
import { makeUser, TEST_PASSWORD } from '../support/factories';
import { postFormWith } from '../support/requests';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let adminId: number;

beforeAll(async () => {
	// As behind a proxy: the client address comes from X-Forwarded-For, so one test can play
	// an attacker and the real admin from two places.
	server = await startServer({ ADDRESS_HEADER: 'x-forwarded-for' });
	adminId = (await makeUser(server.db, { username: 'admin', role: 'admin' })).id;
});
afterAll(() => server?.stop());

function login(username: string, password: string, address: string) {
	return postFormWith(server.url, '/login', { username, password }, { 'x-forwarded-for': address });
}

function auditCount(action: string, targetId?: number): number {
	const where =
		targetId === undefined
			? eq(auditEvents.action, action)
			: and(eq(auditEvents.action, action), eq(auditEvents.targetId, String(targetId)));
	return server.db.select().from(auditEvents).where(where).all().length;
}

describe('login limits over HTTP', () => {
	it('checks at most five of a burst of 50 wrong passwords, while the admin still signs in from elsewhere', async () => {
		const burst = Array.from({ length: 50 }, (_, i) =>
			login('admin', `wrong password ${i}`, '203.0.113.66')
		);
		const [results, own] = await Promise.all([
			Promise.all(burst),
			login('admin', TEST_PASSWORD, '198.51.100.7')
		]);
		expect(results.filter((r) => r.status === 400)).toHaveLength(5);
		expect(results.filter((r) => r.status === 429)).toHaveLength(45);
		expect(own).toMatchObject({ type: 'redirect' });
		// Only the checked attempts are failures in the audit log; the delay is recorded too.
		expect(auditCount('auth.login_failed', adminId)).toBe(5);
		expect(auditCount('auth.login_delayed', adminId)).toBeGreaterThan(0);
		expect(auditCount('auth.login', adminId)).toBe(1);
		// The attacker's address stays delayed even with the right password.
		const later = await login('admin', TEST_PASSWORD, '203.0.113.66');
		expect(later.status).toBe(429);
		expect(later.data).toMatch(/Try again in \d+ seconds/);
	});

	it('slows an address that tries made-up usernames, but not a known user elsewhere', async () => {
		const guesses = [];
		for (let i = 0; i < 25; i++) guesses.push(await login(`guess-${i}`, 'x', '203.0.113.99'));
		expect(guesses.slice(0, 20).every((r) => r.status === 400)).toBe(true);
		expect(guesses.slice(20).every((r) => r.status === 429)).toBe(true);
		const own = await login('admin', TEST_PASSWORD, '198.51.100.8');
		expect(own).toMatchObject({ type: 'redirect' });
		// Unknown usernames are not written down: people type their password there by mistake.
		const failures = server.db
			.select()
			.from(auditEvents)
			.where(eq(auditEvents.action, 'auth.login_failed'))
			.all();
		expect(JSON.stringify(failures)).not.toContain('guess-');
	});
});

describe('numeric configuration', () => {
	it('refuses to start on a value that is not a number, and says which', async () => {
		const outcome = await startServer({ LOGIN_MAX_FAILURES_PER_USER: 'five' }).then(
			async (started) => {
				await started.stop();
				return 'it started';
			},
			(e: Error) => e.message
		);
		expect(outcome).toMatch(/LOGIN_MAX_FAILURES_PER_USER must be a whole number/);
	});
});
