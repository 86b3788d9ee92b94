// The API as scripts call it: bearer tokens past the browser's cross-site check, failures in the
// API's one error shape, a JSON-only export endpoint, and retries that export once.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/lib/server/api-tokens';
import { exports } from '../../src/lib/server/db/schema';
import { buildExportBatch } from '../support/export-fixture';
import { makeUser } from '../support/factories';
import { fixturePath } from '../support/fixtures';
import { sessionCookieFor } from '../support/http';
import { countEveryTable } from '../support/imports';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof buildExportBatch>>;
let leadToken: string;
let researcherToken: string;
let leadCookie: () => string;
let researcherCookie: () => string;

beforeAll(async () => {
	server = await startServer();
	const admin = await makeUser(server.db, { role: 'admin' });
	fixture = await buildExportBatch(server.db, { lock: true });
	const researcher = await makeUser(server.db, { role: 'researcher' });
	leadToken = createApiToken(server.db, admin.id, fixture.lead.id, 'ci').token;
	researcherToken = createApiToken(server.db, admin.id, researcher.id, 'nosy').token;
	leadCookie = () => sessionCookieFor(server.db, fixture.lead.id);
	researcherCookie = () => sessionCookieFor(server.db, researcher.id);
});
afterAll(() => server?.stop());

const FORM = 'application/x-www-form-urlencoded';
const EVIL = 'https://evil.example';
const exportCount = () => server.db.select().from(exports).all().length;

function post(path: string, headers: Record<string, string>, body: string) {
	return fetch(server.url + path, { method: 'POST', headers, body, redirect: 'manual' });
}

function exportBody(extra: Record<string, unknown> = {}) {
	return JSON.stringify({ batches: [fixture.name], format: 'trl', ...extra });
}

async function expectApiError(res: Response, status: number, code: string) {
	expect(res.status).toBe(status);
	expect(res.headers.get('content-type')).toMatch(/^application\/json/);
	const body = await res.json();
	expect(body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
}

describe('bearer tokens', () => {
	it('import with the form content type curl sends for --data-binary', async () => {
		const res = await post(
			'/api/v1/imports?batch=curl-default&constitution=curl',
			{ authorization: `Bearer ${leadToken}`, 'content-type': FORM },
			readFileSync(fixturePath('native.jsonl'), 'utf8')
		);
		expect(res.status).toBe(201);
	});

	it('answer a bad token with 401, a WWW-Authenticate challenge and the error shape', async () => {
		for (const type of [FORM, 'application/json']) {
			const res = await post(
				'/api/v1/exports',
				{ authorization: 'Bearer trt_not-a-real-token', 'content-type': type },
				exportBody()
			);
			expect(res.headers.get('www-authenticate'), type).toMatch(/^Bearer\b/);
			await expectApiError(res, 401, 'invalid_token');
		}
	});

	it('are still checked for their origin when a session cookie rides along', async () => {
		const cookie = leadCookie();
		const before = countEveryTable(server.db);
		const res = await post(
			'/api/v1/imports?batch=with-cookie',
			{
				authorization: `Bearer ${leadToken}`,
				cookie,
				origin: EVIL,
				'content-type': FORM
			},
			readFileSync(fixturePath('native.jsonl'), 'utf8')
		);
		expect(res.status).toBe(403);
		expect(countEveryTable(server.db)).toEqual(before);
	});
});

describe('guard failures on API paths', () => {
	it('answer 401 with a challenge when nobody is signed in', async () => {
		const res = await post('/api/v1/exports', { 'content-type': 'application/json' }, '{}');
		expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
		await expectApiError(res, 401, 'unauthorized');
		const download = await fetch(`${server.url}/api/v1/exports/1/download`);
		await expectApiError(download, 401, 'unauthorized');
	});

	it('answer 403 to a role that may not, by token or by session', async () => {
		const byToken = await post(
			'/api/v1/exports',
			{ authorization: `Bearer ${researcherToken}`, 'content-type': 'application/json' },
			exportBody()
		);
		await expectApiError(byToken, 403, 'forbidden');
		const bySession = await fetch(`${server.url}/api/v1/exports/1/download`, {
			headers: { cookie: researcherCookie() }
		});
		await expectApiError(bySession, 403, 'forbidden');
	});
});

describe('cookie sessions on the API', () => {
	it('refuse a cross-site JSON export and write nothing', async () => {
		const before = exportCount();
		for (const origin of [EVIL, undefined]) {
			const res = await post(
				'/api/v1/exports',
				{
					cookie: leadCookie(),
					'content-type': 'application/json',
					...(origin ? { origin } : {})
				},
				exportBody()
			);
			expect(res.status, String(origin)).toBe(403);
		}
		expect(exportCount()).toBe(before);
	});

	it('run a same-origin JSON export', async () => {
		const res = await post(
			'/api/v1/exports',
			{ cookie: leadCookie(), 'content-type': 'application/json', origin: server.url },
			exportBody()
		);
		expect(res.status).toBe(201);
	});
});

describe('POST /api/v1/exports', () => {
	it('takes JSON only: 415 for any other content type, writing nothing', async () => {
		const before = exportCount();
		for (const type of ['text/plain', FORM, 'application/x-ndjson']) {
			const res = await post(
				'/api/v1/exports',
				{ authorization: `Bearer ${leadToken}`, 'content-type': type },
				exportBody()
			);
			await expectApiError(res, 415, 'unsupported_media_type');
		}
		const bare = await fetch(`${server.url}/api/v1/exports`, {
			method: 'POST',
			headers: { authorization: `Bearer ${leadToken}` },
			body: new Blob([exportBody()])
		});
		await expectApiError(bare, 415, 'unsupported_media_type');
		expect(exportCount()).toBe(before);
	});

	it('answers a retry with the same Idempotency-Key with the first export', async () => {
		const send = (key: string, body: string, token = leadToken) =>
			post(
				'/api/v1/exports',
				{
					authorization: `Bearer ${token}`,
					'content-type': 'application/json',
					'idempotency-key': key
				},
				body
			);
		const before = exportCount();
		const first = await send('nightly-2026-11-27', exportBody());
		expect(first.status).toBe(201);
		const record = await first.json();
		const retry = await send('nightly-2026-11-27', exportBody());
		expect([200, 201]).toContain(retry.status);
		expect(await retry.json()).toEqual(record);
		expect(exportCount()).toBe(before + 1);

		// The same key for other options is a client's mistake, not a retry.
		const other = await send('nightly-2026-11-27', exportBody({ strategy: 'all-pairs' }));
		expect([409, 422]).toContain(other.status);
		expect((await other.json()).error.code).toBe('idempotency_key_reused');
		expect(exportCount()).toBe(before + 1);

		// Keys belong to their user: another lead's same key is a new export.
		const admin = await makeUser(server.db, { role: 'admin' });
		const otherLead = await makeUser(server.db, { role: 'lead' });
		const otherToken = createApiToken(server.db, admin.id, otherLead.id, 'other').token;
		const theirs = await send('nightly-2026-11-27', exportBody(), otherToken);
		expect(theirs.status).toBe(201);
		expect((await theirs.json()).id).not.toBe(record.id);
		expect(exportCount()).toBe(before + 2);
	});

	it('runs again for a retry without a key, and for a key whose first try failed', async () => {
		const headers = { authorization: `Bearer ${leadToken}`, 'content-type': 'application/json' };
		const before = exportCount();
		expect((await post('/api/v1/exports', headers, exportBody())).status).toBe(201);
		expect((await post('/api/v1/exports', headers, exportBody())).status).toBe(201);
		expect(exportCount()).toBe(before + 2);

		const keyed = { ...headers, 'idempotency-key': 'after-a-failure' };
		const bad = exportBody({ batches: ['no such batch'] });
		expect((await post('/api/v1/exports', keyed, bad)).status).toBe(404);
		expect((await post('/api/v1/exports', keyed, bad)).status).toBe(404);
		// A failure wrote nothing and is not remembered: the corrected request runs, once.
		const ran = await post('/api/v1/exports', keyed, exportBody());
		expect(ran.status).toBe(201);
		const again = await post('/api/v1/exports', keyed, exportBody());
		expect((await again.json()).id).toBe((await ran.json()).id);
		expect(exportCount()).toBe(before + 3);
		const fresh = { ...headers, 'idempotency-key': 'x'.repeat(300) };
		await expectApiError(await post('/api/v1/exports', fresh, exportBody()), 400, 'bad_request');
	});
});
