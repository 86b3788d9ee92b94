import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, TEST_PASSWORD } from '../support/factories';
import { postAction, sessionCookieFor } from '../support/http';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let adminCookie: string;
let researcherId: number;

beforeAll(async () => {
	server = await startServer();
	const admin = await makeUser(server.db, { role: 'admin' });
	researcherId = (await makeUser(server.db)).id;
	adminCookie = sessionCookieFor(server.db, admin.id);
});
afterAll(() => server?.stop());

// Distinct from every other value on the page, so finding it anywhere means it was echoed.
const NEW = 'first secret 0123456789';
const CONFIRM = 'second secret 9876543210';

describe('form failures never echo a password field', () => {
	it('on first-run setup', async () => {
		// Setup only answers on an empty database: this one has users already.
		const fresh = await startServer();
		try {
			const result = await postAction(fresh.url, '/setup', {
				username: 'first',
				password: NEW,
				confirm: CONFIRM
			});
			expect(result).toMatchObject({ type: 'failure', status: 400 });
			expect(result.data).toContain('The two passwords differ.');
			expect(result.data).not.toContain(CONFIRM);
			expect(result.data).not.toContain(NEW);
		} finally {
			await fresh.stop();
		}
	});

	it("on an admin's password reset", async () => {
		const result = await postAction(
			server.url,
			`/admin/users/${researcherId}?/password`,
			{ password: NEW, confirm: CONFIRM },
			adminCookie
		);
		expect(result).toMatchObject({ type: 'failure', status: 400 });
		expect(result.data).not.toContain(CONFIRM);
		expect(result.data).not.toContain(NEW);
	});

	it('on the account page', async () => {
		const result = await postAction(
			server.url,
			'/account?/password',
			{ currentPassword: TEST_PASSWORD, newPassword: NEW, confirm: CONFIRM },
			sessionCookieFor(server.db, researcherId)
		);
		expect(result).toMatchObject({ type: 'failure', status: 400 });
		expect(result.data).not.toContain(CONFIRM);
		expect(result.data).not.toContain(TEST_PASSWORD);
	});
});
