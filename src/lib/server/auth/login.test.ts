import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser, TEST_PASSWORD } from '../../../../tests/support/factories';
import { like } from 'drizzle-orm';
import { auditEvents } from '../db/schema';
import { setUserDisabled } from '../users';
import { attemptLogin, safeRedirectTarget } from './login';

describe('attemptLogin', () => {
	it('accepts the right password, case-insensitively on the username', async () => {
		const db = createTestDb();
		const user = await makeUser(db, { username: 'grace' });
		expect(await attemptLogin(db, ' Grace ', TEST_PASSWORD, '10.0.0.1')).toEqual({
			ok: true,
			userId: user.id
		});
	});

	it('gives the same answer for an unknown user, a wrong password and a disabled account', async () => {
		const db = createTestDb();
		const admin = await makeUser(db, { role: 'admin' });
		const user = await makeUser(db, { username: 'henry' });
		const unknown = await attemptLogin(db, 'nobody', TEST_PASSWORD, '10.0.0.2');
		const wrong = await attemptLogin(db, 'henry', 'wrong password', '10.0.0.2');
		setUserDisabled(db, admin.id, user.id, true);
		const disabled = await attemptLogin(db, 'henry', TEST_PASSWORD, '10.0.0.3');
		expect(unknown).toEqual({ ok: false, reason: 'invalid' });
		expect(wrong).toEqual(unknown);
		expect(disabled).toEqual(unknown);
	});

	it('delays one username from one address after five failures, even with the right password', async () => {
		const db = createTestDb();
		await makeUser(db, { username: 'ivy' });
		for (let i = 0; i < 5; i++) await attemptLogin(db, 'ivy', 'wrong password', '10.1.0.1');
		const result = await attemptLogin(db, 'ivy', TEST_PASSWORD, '10.1.0.1');
		expect(result).toMatchObject({ ok: false, reason: 'rate_limited', retryAfter: 30 });
		// The owner, somewhere else, is not shut out by someone guessing at their account.
		expect(await attemptLogin(db, 'ivy', TEST_PASSWORD, '10.1.0.2')).toMatchObject({ ok: true });
	});

	it('counts attempts before the password is checked, so a parallel burst cannot pass the limit', async () => {
		const db = createTestDb();
		await makeUser(db, { username: 'jack' });
		const burst = await Promise.all(
			Array.from({ length: 12 }, () => attemptLogin(db, 'jack', 'wrong password', '10.3.0.1'))
		);
		expect(burst.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(5);
		expect(burst.filter((r) => !r.ok && r.reason === 'rate_limited')).toHaveLength(7);
	});

	it('gives back the reserved attempt on success', async () => {
		const db = createTestDb();
		await makeUser(db, { username: 'kim' });
		for (let round = 0; round < 3; round++) {
			for (let i = 0; i < 4; i++) await attemptLogin(db, 'kim', 'wrong password', '10.4.0.1');
			expect(await attemptLogin(db, 'kim', TEST_PASSWORD, '10.4.0.1')).toMatchObject({ ok: true });
		}
	});

	it('delays one address trying many made-up usernames, for every username from there', async () => {
		const db = createTestDb();
		await makeUser(db, { username: 'lee' });
		for (let i = 0; i < 20; i++) await attemptLogin(db, `guess-${i}`, 'x', '10.2.0.1');
		expect(await attemptLogin(db, 'someone-else', 'x', '10.2.0.1')).toMatchObject({
			reason: 'rate_limited'
		});
		expect(await attemptLogin(db, 'lee', TEST_PASSWORD, '10.2.0.1')).toMatchObject({
			reason: 'rate_limited'
		});
		expect(await attemptLogin(db, 'lee', TEST_PASSWORD, '10.2.0.2')).toMatchObject({ ok: true });
	});

	it('audits log-ins, failures and delays, never the password or an unknown username', async () => {
		const db = createTestDb();
		const user = await makeUser(db, { username: 'max' });
		await attemptLogin(db, 'max', TEST_PASSWORD, '10.5.0.1');
		for (let i = 0; i < 5; i++) await attemptLogin(db, 'max', `wrong password ${i}`, '10.5.0.2');
		// Refused by the delay: not audited one by one.
		await attemptLogin(db, 'max', 'wrong password 6', '10.5.0.2');
		await attemptLogin(db, 'not-max', 'secret typed as a name', '10.5.0.3');
		const events = db
			.select()
			.from(auditEvents)
			.where(like(auditEvents.action, 'auth.%'))
			.orderBy(auditEvents.id)
			.all();
		expect(events.map((e) => e.action)).toEqual([
			'auth.login',
			...Array(4).fill('auth.login_failed'),
			'auth.login_failed',
			'auth.login_delayed',
			'auth.login_failed'
		]);
		expect(events[0]).toMatchObject({
			actorId: user.id,
			targetId: String(user.id),
			newValue: { address: '10.5.0.1' }
		});
		expect(events[6]).toMatchObject({
			targetId: String(user.id),
			newValue: { username: 'max', address: '10.5.0.2', seconds: 30 }
		});
		expect(events[7]).toMatchObject({
			targetId: null,
			newValue: { username: null, reason: 'unknown_user' }
		});
		const text = JSON.stringify(events);
		expect(text).not.toContain('wrong password');
		expect(text).not.toContain('not-max');
		expect(text).not.toContain(TEST_PASSWORD);
	});
});

describe('safeRedirectTarget', () => {
	const origin = 'https://review.example.org';

	it('keeps same-site paths with their query and fragment', () => {
		expect(safeRedirectTarget('/admin/users?x=1', origin)).toBe('/admin/users?x=1');
		expect(safeRedirectTarget('/reviews#top', origin)).toBe('/reviews#top');
		expect(safeRedirectTarget('https://review.example.org/batches', origin)).toBe('/batches');
		// Encoded slashes stay in the path, where browsers leave them.
		expect(safeRedirectTarget('/%2F%2Fevil.example', origin)).toBe('/%2F%2Fevil.example');
		// Read against the site's own address, these stay on the site.
		expect(safeRedirectTarget('https:evil.example', origin)).toBe('/evil.example');
		expect(safeRedirectTarget('admin', origin)).toBe('/admin');
	});

	it.each([
		['a tab', '/\t/evil.example'],
		['a line feed', '/\n/evil.example'],
		['a carriage return', '/\r/evil.example'],
		['a NUL', '/\u0000/evil.example'],
		['a backslash', '/\\evil.example'],
		['two backslashes', '\\\\evil.example'],
		['a protocol-relative URL', '//evil.example'],
		['a path that normalises to protocol-relative', '/.//evil.example'],
		['an absolute URL elsewhere', 'https://evil.example'],
		['javascript:', 'javascript:alert(1)'],
		['nothing', null],
		['an empty string', '']
	])('falls back to / for %s', (_, raw) => {
		expect(safeRedirectTarget(raw, origin)).toBe('/');
	});
});
