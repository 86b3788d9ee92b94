import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/lib/server/api-tokens';
import { makeUser } from '../support/factories';
import { sessionCookieFor } from '../support/http';
import { chunkedBody, postChunked } from '../support/requests';
import { startServer, type TestServer } from '../support/server';

const MB = 1024 * 1024;

let server: TestServer;
let leadToken: string;
let researcherCookie: string;

beforeAll(async () => {
	// A small body limit and import limit keep the test quick; the rules are the same.
	server = await startServer({ MAX_BODY_KB: '64', IMPORT_MAX_FILE_MB: '1' });
	const admin = await makeUser(server.db, { role: 'admin' });
	const lead = await makeUser(server.db, { role: 'lead' });
	const researcher = await makeUser(server.db, { role: 'researcher' });
	leadToken = createApiToken(server.db, admin.id, lead.id, 'uploads').token;
	researcherCookie = sessionCookieFor(server.db, researcher.id);
});
afterAll(() => server?.stop());

async function healthy(): Promise<boolean> {
	return (await fetch(`${server.url}/api/health`)).ok;
}

const form = () => ({
	origin: server.url,
	'content-type': 'application/x-www-form-urlencoded'
});

/** A native JSONL file of about `bytes` bytes that imports cleanly. */
function nativeFile(bytes: number): string {
	const lines: string[] = [];
	let size = 0;
	for (let i = 0; size < bytes; i++) {
		const line = JSON.stringify({
			trait: 'warmth',
			prompt: `Prompt ${i}`,
			responses: [{ content: `First answer ${i} `.repeat(20) }, { content: `Second ${i}` }]
		});
		lines.push(line);
		size += line.length + 1;
	}
	return lines.join('\n') + '\n';
}

describe('request bodies', () => {
	it('answers 413 to a chunked 40 MB login post from a stranger, and stays up', async () => {
		const res = await postChunked(`${server.url}/login`, chunkedBody(40 * MB), form());
		expect(res.status).toBe(413);
		expect(await healthy()).toBe(true);
	});

	it('answers 413 to a declared Content-Length over the limit', async () => {
		const res = await fetch(`${server.url}/login`, {
			method: 'POST',
			headers: form(),
			body: 'x'.repeat(200 * 1024)
		});
		expect(res.status).toBe(413);
	});

	it('reads a body within the limit, chunked or with its length declared', async () => {
		const chunked = await postChunked(`${server.url}/login`, chunkedBody(32 * 1024), form());
		const declared = await fetch(`${server.url}/login`, {
			method: 'POST',
			headers: form(),
			body: 'username=nobody&password=' + 'x'.repeat(32 * 1024),
			redirect: 'manual'
		});
		// The login page reads both and answers them (a form without a user, or a wrong one):
		// an answer, neither a 413 nor an error.
		for (const { status } of [chunked, declared]) {
			expect(status).not.toBe(413);
			expect(status).toBeLessThan(500);
		}
	});

	it('keeps a researcher to the ordinary limit on the upload endpoints', async () => {
		for (const path of ['/imports/upload', '/api/v1/imports']) {
			const res = await postChunked(server.url + path, chunkedBody(2 * MB), {
				...form(),
				'content-type': 'application/octet-stream',
				cookie: researcherCookie
			});
			expect(res.status, path).toBe(413);
		}
		expect(await healthy()).toBe(true);
	});

	it('lets a lead token upload past the ordinary limit', async () => {
		const file = nativeFile(300 * 1024);
		const res = await fetch(`${server.url}/api/v1/imports?batch=Big&constitution=Limits`, {
			method: 'POST',
			headers: { authorization: `Bearer ${leadToken}`, 'content-type': 'application/x-ndjson' },
			body: file
		});
		expect(res.status).toBe(201);
	});

	it('answers an upload over the import limit with the documented 413 JSON, not a reset', async () => {
		const res = await postChunked(
			`${server.url}/api/v1/imports?batch=Huge&constitution=Limits`,
			chunkedBody(3 * MB),
			{
				authorization: `Bearer ${leadToken}`,
				'content-type': 'application/x-ndjson'
			}
		);
		expect(res.status).toBe(413);
		expect(JSON.parse(res.text)).toMatchObject({
			error: { code: 'file_too_large', message: expect.stringContaining('limit') }
		});
		expect(await healthy()).toBe(true);
	});
});
