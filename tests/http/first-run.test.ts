import { afterEach, describe, expect, it } from 'vitest';
import { countUsers } from '../../src/lib/server/users';
import { postAction } from '../support/http';
import { waitForLog } from '../support/requests';
import { startServer, type TestServer } from '../support/server';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.stop();
	server = undefined;
});

const admin = {
	username: 'first',
	password: 'a strong first password',
	confirm: 'a strong first password'
};

const CODE_LINE = /setup code: (\S+)/i;

describe('first-run setup on a public address', () => {
	it('asks for the one-time code the server printed at start', async () => {
		server = await startServer({ HOST: '0.0.0.0' });
		const [, code] = await waitForLog(server, CODE_LINE);
		const page = await (await fetch(`${server.url}/setup`)).text();
		expect(page).toContain('name="setupCode"');

		const without = await postAction(server.url, '/setup', admin);
		expect(without).toMatchObject({ type: 'failure', status: 403 });
		const wrong = await postAction(server.url, '/setup', { ...admin, setupCode: 'not-the-code' });
		expect(wrong).toMatchObject({ type: 'failure', status: 403 });
		expect(countUsers(server.db)).toBe(0);

		const right = await postAction(server.url, '/setup', { ...admin, setupCode: code });
		expect(right).toMatchObject({ type: 'redirect', location: '/admin/users' });
		expect(countUsers(server.db)).toBe(1);
	});
});

describe('first-run setup on loopback', () => {
	it('needs no code and prints none', async () => {
		server = await startServer();
		expect(server.logs()).not.toMatch(CODE_LINE);
		const page = await (await fetch(`${server.url}/setup`)).text();
		expect(page).not.toContain('name="setupCode"');
		const result = await postAction(server.url, '/setup', admin);
		expect(result).toMatchObject({ type: 'redirect', location: '/admin/users' });
	});
});
