import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../tests/support/db';
import { attemptLogin } from './auth/login';
import { listBatches } from './batches';
import { listConstitutions } from './catalog';
import { DEMO_ACCOUNTS, DEMO_MODEL_SPEC_BATCH, seedDemo } from './demo';
import { listUsers } from './users';

describe('demo data', () => {
	it('creates one admin, one lead and two researchers whose printed passwords work', async () => {
		const db = createTestDb();
		await seedDemo(db);
		expect(
			listUsers(db)
				.map((u) => u.role)
				.sort()
		).toEqual(['admin', 'lead', 'researcher', 'researcher']);
		for (const account of DEMO_ACCOUNTS) {
			const result = await attemptLogin(db, account.username, account.password, '127.0.0.9');
			expect(result.ok, account.username).toBe(true);
		}
	});

	it('imports the Model Spec as an open batch and one OCT constitution, through the importers', async () => {
		const db = createTestDb();
		await seedDemo(db);
		const batches = listBatches(db);
		expect(batches).toHaveLength(1);
		expect(batches[0]).toMatchObject({ name: DEMO_MODEL_SPEC_BATCH, status: 'open' });
		expect(batches[0].itemCount).toBeGreaterThan(150);
		const constitutions = listConstitutions(db).map((c) => c.name);
		expect(constitutions).toContain('Humor (Open Character Training)');
		expect(constitutions).toContain('OpenAI Model Spec');
	});
});
