import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { refuseCrossSite } from './same-origin';

const SITE = 'http://127.0.0.1:3000';

function event(path: string, init: { method?: string; headers?: Record<string, string> }) {
	const url = new URL(path, SITE);
	return { request: new Request(url, init), url } as RequestEvent;
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const json = { 'content-type': 'application/json; charset=utf-8' };
const signedIn = { session: true, bearer: false };
const anonymous = { session: false, bearer: false };
const script = { session: false, bearer: true };

describe('refuseCrossSite', () => {
	it('refuses a form from another site or from nowhere, signed in or not', () => {
		for (const origin of ['https://evil.example', undefined]) {
			const headers = { ...form, ...(origin ? { origin } : {}) };
			for (const credentials of [signedIn, anonymous]) {
				const res = refuseCrossSite(event('/login', { method: 'POST', headers }), credentials);
				expect(res?.status, `${origin} ${JSON.stringify(credentials)}`).toBe(403);
			}
		}
	});

	it('lets our own forms, reads, and bearer-token API calls through', () => {
		const post = (path: string, headers: Record<string, string>, credentials = signedIn) =>
			refuseCrossSite(event(path, { method: 'POST', headers }), credentials);
		expect(post('/login', { ...form, origin: SITE })).toBeNull();
		expect(refuseCrossSite(event('/account', { headers: form }), signedIn)).toBeNull();
		expect(post('/api/v1/imports', form, script)).toBeNull();
		// A bearer token outside the API authenticates nothing, so it excuses nothing.
		expect(post('/admin/users', form, script)?.status).toBe(403);
	});

	it('refuses JSON from another site only with a session, in the API shape on API paths', async () => {
		const headers = { ...json, origin: 'https://evil.example' };
		const res = refuseCrossSite(event('/api/v1/exports', { method: 'POST', headers }), signedIn);
		expect(res?.status).toBe(403);
		expect((await res!.json()).error.code).toBe('cross_site');
		const bothCredentials = { session: true, bearer: true };
		expect(
			refuseCrossSite(event('/api/v1/exports', { method: 'POST', headers }), bothCredentials)
				?.status
		).toBe(403);
		expect(
			refuseCrossSite(event('/api/v1/exports', { method: 'POST', headers }), anonymous)
		).toBeNull();
	});
});
