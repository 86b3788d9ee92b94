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
	it('keeps same-site paths and drops everything else', () => {
		expect(safeRedirectTarget('/admin/users?x=1')).toBe('/admin/users?x=1');
		expect(safeRedirectTarget('https://evil.example')).toBe('/');
		expect(safeRedirectTarget('//evil.example')).toBe('/');
		expect(safeRedirectTarget('/\\evil.example')).toBe('/');
		expect(safeRedirectTarget(null)).toBe('/');
	});
});
