import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, TEST_PASSWORD } from '../support/factories';
import { postAction, sessionCookieFor } from '../support/http';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let cookie: string;

beforeAll(async () => {
	server = await startServer();
	const user = await makeUser(server.db, { username: 'walker' });
	cookie = sessionCookieFor(server.db, user.id);
});
afterAll(() => server?.stop());

// Each is sent as it would be typed into a link: already percent-encoded.
const HOSTILE = [
	'/%09/evil.example',
	'/%0A/evil.example',
	'/%0D/evil.example',
	'/%5Cevil.example',
	'%5C%5Cevil.example',
	'//evil.example',
	'%2F%2Fevil.example',
	'/.//evil.example',
	'https://evil.example',
	'javascript:alert(1)'
];

describe('redirectTo after login', () => {
	it.each(HOSTILE)('sends a signed-in user home for %s', async (target) => {
		const res = await fetch(`${server.url}/login?redirectTo=${target}`, {
			headers: { cookie },
			redirect: 'manual'
		});
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/');
	});

	it('keeps a same-site path with its query', async () => {
		const res = await fetch(`${server.url}/login?redirectTo=%2Freviews%3Fpage%3D2`, {
			headers: { cookie },
			redirect: 'manual'
		});
		expect(res.headers.get('location')).toBe('/reviews?page=2');
	});

	it('sends home after signing in with a hostile target', async () => {
		const result = await postAction(server.url, '/login?redirectTo=/%09/evil.example', {
			username: 'walker',
			password: TEST_PASSWORD
		});
		expect(result).toMatchObject({ type: 'redirect', location: '/' });
	});
});
