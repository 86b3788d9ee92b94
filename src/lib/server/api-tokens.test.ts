import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../tests/support/db';
import { makeUser } from '../../../tests/support/factories';
import { apiTokens } from './db/schema';
import { createApiToken, listApiTokens } from './api-tokens';
import { DomainError } from './errors';
import { createExternalReviewer } from './users';

describe('createApiToken', () => {
	it('refuses an external reviewer, who cannot sign in, and writes nothing', async () => {
		const db = createTestDb();
		const admin = await makeUser(db, { role: 'admin' });
		const external = createExternalReviewer(db, admin.id, 'ext-ravi', 'Ravi (imported)');

		let refusal: unknown;
		try {
			createApiToken(db, admin.id, external.id, 'nightly');
		} catch (e) {
			refusal = e;
		}
		expect(refusal).toBeInstanceOf(DomainError);
		const { message, field, status } = refusal as DomainError;
		expect({ field, status }).toEqual({ field: 'userId', status: 400 });
		expect(message).toContain('external reviewer');
		expect(db.select().from(apiTokens).all()).toEqual([]);
	});

	it('still makes a token for a user who signs in', async () => {
		const db = createTestDb();
		const admin = await makeUser(db, { role: 'admin' });
		const lead = await makeUser(db, { role: 'lead' });
		const { token } = createApiToken(db, admin.id, lead.id, 'nightly');
		expect(token).toMatch(/^trt_/);
		expect(listApiTokens(db).map((t) => t.owner)).toEqual([lead.username]);
	});
});
