import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countUsers } from '../../src/lib/server/users';
import { makeUser, TEST_PASSWORD } from '../support/factories';
import { postAction } from '../support/http';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
beforeEach(async () => {
	server = await startServer();
});
afterEach(() => server?.stop());

const admin = (username: string) => ({
	username,
	password: 'a strong first password',
	confirm: 'a strong first password'
});

describe('first-run setup', () => {
	it('creates exactly one admin when several setup requests race', async () => {
		const results = await Promise.all(
			['ann', 'ben', 'cat', 'dan'].map((name) => postAction(server.url, '/setup', admin(name)))
		);
		expect(results.filter((r) => r.type === 'redirect')).toHaveLength(1);
		expect(results.filter((r) => r.type === 'failure' && r.status === 409)).toHaveLength(3);
		expect(countUsers(server.db)).toBe(1);
	});

	it('refuses once a user exists', async () => {
		await makeUser(server.db);
		const page = await fetch(`${server.url}/setup`, { redirect: 'manual' });
		expect(page.status).toBe(303);
		const result = await postAction(server.url, '/setup', admin('late'));
		expect(result).toMatchObject({ type: 'failure', status: 409 });
		expect(result.data).toContain('already set up');
		expect(countUsers(server.db)).toBe(1);
	});

	it('explains a weak password and creates nobody', async () => {
		const result = await postAction(server.url, '/setup', {
			username: 'ann',
			password: 'short',
			confirm: 'short'
		});
		expect(result).toMatchObject({ type: 'failure', status: 400 });
		expect(result.data).toContain('at least 10 characters');
		expect(countUsers(server.db)).toBe(0);
	});
});

describe('login over HTTP', () => {
	it('answers 429 with a wait time once a username is past the limit', async () => {
		await makeUser(server.db, { username: 'target' });
		for (let i = 0; i < 5; i++) {
			const r = await postAction(server.url, '/login', { username: 'target', password: 'nope' });
			expect(r).toMatchObject({ type: 'failure', status: 400 });
		}
		const blocked = await postAction(server.url, '/login', {
			username: 'target',
			password: TEST_PASSWORD
		});
		expect(blocked).toMatchObject({ type: 'failure', status: 429 });
		expect(blocked.data).toMatch(/Try again in \d+ seconds/);
	});
});
