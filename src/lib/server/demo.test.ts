import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../tests/support/db';
import { attemptLogin } from './auth/login';
import { DEMO_ACCOUNTS, seedDemo } from './demo';
import { listUsers } from './users';

describe('demo data', () => {
	it('creates one admin, one lead and two researchers whose printed passwords work', async () => {
		const db = createTestDb();
		await seedDemo(db);
		expect(listUsers(db).map((u) => u.role).sort()).toEqual([
			'admin',
			'lead',
			'researcher',
			'researcher'
		]);
		for (const account of DEMO_ACCOUNTS) {
			const result = await attemptLogin(db, account.username, account.password, '127.0.0.9');
			expect(result.ok, account.username).toBe(true);
		}
	});
});
