import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../../src/lib/server/api-tokens';
import { batches, items } from '../../src/lib/server/db/schema';
import { makeUser } from '../support/factories';
import { sessionCookieFor } from '../support/http';
import { fixturePath } from '../support/fixtures';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let leadToken: string;
let researcherToken: string;
let adminId: number;

beforeAll(async () => {
	server = await startServer();
	const admin = await makeUser(server.db, { role: 'admin' });
	adminId = admin.id;
	const lead = await makeUser(server.db, { role: 'lead' });
	const researcher = await makeUser(server.db, { role: 'researcher' });
	leadToken = createApiToken(server.db, admin.id, lead.id, 'ci').token;
	researcherToken = createApiToken(server.db, admin.id, researcher.id, 'nosy').token;
});
afterAll(() => server?.stop());

function post(query: string, body: string, token?: string) {
	return fetch(`${server.url}/api/v1/imports?${query}`, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-ndjson',
			...(token ? { authorization: `Bearer ${token}` } : {})
		},
		body
	});
}

const itemCount = () =>
	server.db
		.select({ n: sql<number>`count(*)` })
		.from(items)
		.get()!.n;

const FORMATS = [
	{ format: 'native', file: 'native.jsonl', kind: 'batch' },
	{ format: 'trl', file: 'trl-conversational-implicit.jsonl', kind: 'batch' },
	{ format: 'oct', file: 'oct-small.json', kind: 'constitution' },
	{ format: 'model-spec', file: 'model-spec-small.md', kind: 'batch' }
] as const;

describe.each(FORMATS)('each format by each way in: $format', ({ format, file, kind }) => {
	const body = () => readFileSync(fixturePath(file), 'utf8');

	it('imports through the API, detected automatically', async () => {
		const res = await post(`constitution=api-${format}&batch=api-${format}`, body(), leadToken);
		expect(res.status).toBe(201);
		expect(await res.json()).toMatchObject({ ok: true, kind, format });
	});

	it('imports through the upload page’s endpoint, with progress and a result line', async () => {
		const lead = await makeUser(server.db, { role: 'lead' });
		// The page sends the file with its name; a changed name and batch keep it a new import.
		const content = format === 'model-spec' ? body() + '\n' : body() + '\n\n';
		const res = await fetch(
			`${server.url}/imports/upload?format=${format}&constitution=web-${format}&batch=web-${format}&fileName=${file}`,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/octet-stream',
					cookie: sessionCookieFor(server.db, lead.id)
				},
				body: content
			}
		);
		expect(res.status).toBe(200);
		const events = (await res.text())
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l));
		expect(events.at(-1)).toMatchObject({ type: 'result', result: { ok: true, kind, format } });
		expect(events.some((e) => e.type === 'progress')).toBe(true);
	});
});

describe('POST /api/v1/imports', () => {
	it('imports a file with a lead token and answers 201 with the batch', async () => {
		const res = await post(
			'batch=From%20the%20API&overlap=2&constitution=api-native',
			readFileSync(fixturePath('native.jsonl'), 'utf8') + '\n',
			leadToken
		);
		expect(res.status).toBe(201);
		const body = await res.json();
		expect(body).toMatchObject({
			ok: true,
			kind: 'batch',
			batchName: 'From the API',
			items: 3,
			responses: 7
		});
	});

	it('imports a batch as a draft, or opens it at once with open=true', async () => {
		const lines = (n: number) =>
			Array.from({ length: n }, (_, i) =>
				JSON.stringify({
					trait: 'warmth',
					prompt: `open test ${n}.${i}`,
					responses: [{ content: 'a' }, { content: 'b' }]
				})
			).join('\n');
		const draft = await post('constitution=api-open&batch=Left%20a%20draft', lines(1), leadToken);
		expect(draft.status).toBe(201);
		expect(await draft.json()).toMatchObject({ batchName: 'Left a draft', status: 'draft' });
		const opened = await post(
			'constitution=api-open&batch=Opened%20at%20once&open=true',
			lines(2),
			leadToken
		);
		expect(opened.status).toBe(201);
		const body = await opened.json();
		expect(body).toMatchObject({ batchName: 'Opened at once', status: 'open' });
		const batch = server.db.select().from(batches).where(eq(batches.id, body.batchId)).get();
		expect(batch?.status).toBe('open');

		const unclear = await post('constitution=api-open&open=maybe', lines(3), leadToken);
		expect(unclear.status).toBe(400);
		expect((await unclear.json()).error.message).toMatch(/^open: /);
	});

	it('answers 409 with a machine-readable body for a file already imported', async () => {
		const res = await post(
			'filename=native.jsonl',
			readFileSync(fixturePath('native.jsonl'), 'utf8') + '\n',
			leadToken
		);
		expect(res.status).toBe(409);
		const body = await res.json();
		expect(body.error).toMatchObject({
			code: 'already_imported',
			existing: { batchName: 'From the API' }
		});
	});

	it('answers 422 with line-numbered issues for a bad file, writing nothing', async () => {
		const before = itemCount();
		const res = await post(
			'filename=native-bad.jsonl',
			readFileSync(fixturePath('native-bad.jsonl'), 'utf8'),
			leadToken
		);
		expect(res.status).toBe(422);
		const body = await res.json();
		expect(body.error.code).toBe('invalid_file');
		expect(body.error.issues).toContainEqual(
			expect.objectContaining({ line: 5, path: 'responses[1].content' })
		);
		expect(itemCount()).toBe(before);
	});

	it('answers 400 for bad options', async () => {
		const res = await post(
			'scale=12',
			readFileSync(fixturePath('trl-standard.jsonl'), 'utf8'),
			leadToken
		);
		expect(res.status).toBe(400);
		expect((await res.json()).error.code).toBe('bad_request');
	});

	it('refuses researchers (403), unknown and revoked tokens (401)', async () => {
		const body = readFileSync(fixturePath('trl-standard.jsonl'), 'utf8');
		expect((await post('', body, researcherToken)).status).toBe(403);
		const unknown = await post('', body, 'trt_not-a-real-token');
		expect(unknown.status).toBe(401);
		expect((await unknown.json()).error.code).toBe('invalid_token');
		expect((await post('', body)).status).toBe(401);

		const lead = await makeUser(server.db, { role: 'lead' });
		const { id, token } = createApiToken(server.db, adminId, lead.id, 'short-lived');
		revokeApiToken(server.db, adminId, id);
		expect((await post('', body, token)).status).toBe(401);
	});
});
