import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser, TEST_PASSWORD } from '../../../../tests/support/factories';
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

	it('rate-limits one username after five failures, even with the right password', async () => {
		const db = createTestDb();
		await makeUser(db, { username: 'ivy' });
		for (let i = 0; i < 5; i++) await attemptLogin(db, 'ivy', 'wrong password', `10.1.0.${i}`);
		const result = await attemptLogin(db, 'ivy', TEST_PASSWORD, '10.1.1.1');
		expect(result.ok).toBe(false);
		expect(result).toMatchObject({ reason: 'rate_limited' });
		if (!result.ok && result.reason === 'rate_limited') {
			expect(result.retryAfter).toBeGreaterThan(0);
			expect(result.retryAfter).toBeLessThanOrEqual(15 * 60);
		}
	});

	it('rate-limits one address trying many usernames', async () => {
		const db = createTestDb();
		for (let i = 0; i < 20; i++) await attemptLogin(db, `guess-${i}`, 'x', '10.2.0.1');
		const result = await attemptLogin(db, 'someone-else', 'x', '10.2.0.1');
		expect(result).toMatchObject({ ok: false, reason: 'rate_limited' });
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
