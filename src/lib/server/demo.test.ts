import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { batchAgreement } from './dashboard';
import { claimNextItem } from './reviews';
import { findUserForLogin } from './users';
import { createTestDb } from '../../../tests/support/db';
import { attemptLogin } from './auth/login';
import { listBatches } from './batches';
import { listConstitutions } from './catalog';
import { DEMO_ACCOUNTS, DEMO_MODEL_SPEC_BATCH, seedDemo } from './demo';
import { listUsers } from './users';

const userId = (db: Parameters<typeof findUserForLogin>[0], name: string) =>
	findUserForLogin(db, name)!.id;

describe('demo data', () => {
	it('creates one admin, one lead and three researchers whose printed passwords work', async () => {
		const db = createTestDb();
		await seedDemo(db);
		expect(
			listUsers(db)
				.map((u) => u.role)
				.sort()
		).toEqual(['admin', 'lead', 'researcher', 'researcher', 'researcher']);
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
		// Two past reviewers have reviewed every item; rosa's queue is whole.
		const reviewed = db.get<{ n: number }>(
			sql`select count(*) as n from reviews where status = 'submitted'`
		)!.n;
		const reviewable = db.get<{ n: number }>(
			sql`select count(*) as n from items where response_count > 0`
		)!.n;
		expect(reviewed).toBe(2 * reviewable);
		expect(claimNextItem(db, userId(db, 'rosa'), batches[0].id).itemId).not.toBeNull();
		expect(claimNextItem(db, userId(db, 'ravi'), batches[0].id).itemId).toBeNull();
		const agreement = batchAgreement(db, batches[0].id).overall.ordinal!;
		expect(agreement).toBeGreaterThan(0.3);
		expect(agreement).toBeLessThan(0.95);
		const constitutions = listConstitutions(db).map((c) => c.name);
		expect(constitutions).toContain('Humor (Open Character Training)');
		expect(constitutions).toContain('OpenAI Model Spec');
	});
});
