import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/lib/server/api-tokens';
import { buildExportBatch } from '../support/export-fixture';
import { makeUser } from '../support/factories';
import { sessionCookieFor } from '../support/http';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let leadToken: string;
let researcherToken: string;
let fixture: Awaited<ReturnType<typeof buildExportBatch>>;
let open: Awaited<ReturnType<typeof buildExportBatch>>;

beforeAll(async () => {
	server = await startServer();
	const admin = await makeUser(server.db, { role: 'admin' });
	fixture = await buildExportBatch(server.db, { lock: true });
	open = await buildExportBatch(server.db);
	const researcher = await makeUser(server.db, { role: 'researcher' });
	leadToken = createApiToken(server.db, admin.id, fixture.lead.id, 'ci').token;
	researcherToken = createApiToken(server.db, admin.id, researcher.id, 'nosy').token;
});
afterAll(() => server?.stop());

function post(body: unknown, token = leadToken) {
	return fetch(`${server.url}/api/v1/exports`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});
}

async function download(path: string, headers: Record<string, string>) {
	const res = await fetch(server.url + path, { headers });
	return { res, text: await res.text() };
}

describe('POST /api/v1/exports', () => {
	it('runs an export by batch name and serves the same bytes on every download', async () => {
		const res = await post({ batches: [fixture.name], format: 'openai', strategy: 'best-vs-each' });
		expect(res.status).toBe(201);
		const record = (await res.json()) as {
			id: number;
			sha256: string;
			rowCount: number;
			download: string;
		};
		expect(record).toMatchObject({ rowCount: 5, itemsIn: 4, itemsOut: { flagged: 1 } });
		const auth = { authorization: `Bearer ${leadToken}` };
		const first = await download(record.download, auth);
		expect(first.res.headers.get('x-content-sha256')).toBe(record.sha256);
		expect(createHash('sha256').update(first.text).digest('hex')).toBe(record.sha256);
		const lines = first.text
			.trimEnd()
			.split('\n')
			.map((l) => JSON.parse(l));
		expect(lines).toHaveLength(5);
		// OpenAI refuses keys it does not know: no metadata unless asked.
		expect(Object.keys(lines[0])).toEqual(['input', 'preferred_output', 'non_preferred_output']);
		// The web page's download, with a browser session, gives the same file.
		const page = await download(`/exports/${record.id}/download`, {
			cookie: sessionCookieFor(server.db, fixture.lead.id)
		});
		expect(page.text).toBe(first.text);
		expect(page.res.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
	});

	it('runs a dataset folder export, served as one tar archive with its hash', async () => {
		const res = await post({
			batches: [fixture.name],
			format: 'axolotl',
			output: 'hf-dataset',
			testShare: 0.5,
			license: 'mit'
		});
		expect(res.status).toBe(201);
		const record = (await res.json()) as { sha256: string; download: string };
		const got = await fetch(server.url + record.download, {
			headers: { authorization: `Bearer ${leadToken}` }
		});
		expect(got.headers.get('content-type')).toBe('application/x-tar');
		expect(got.headers.get('content-disposition')).toMatch(/-axolotl-[0-9a-f]{12}\.tar"$/);
		const bytes = Buffer.from(await got.arrayBuffer());
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(record.sha256);
		expect(bytes.toString('latin1', 257, 262)).toBe('ustar');
	});

	it('explains what is wrong with the options, and refuses unlocked batches by default', async () => {
		const bad = await post({ batchIds: [fixture.batchId], format: 'csv', minReviews: 0 });
		expect(bad.status).toBe(400);
		const body = (await bad.json()) as { error: { issues: { path: string }[] } };
		expect(body.error.issues.map((i) => i.path).sort()).toEqual(['format', 'minReviews']);

		expect((await post({ batches: ['no such batch'], format: 'trl' })).status).toBe(404);
		expect((await post('not json')).status).toBe(400);

		const unlocked = await post({ batchIds: [open.batchId], format: 'trl' });
		expect(unlocked.status).toBe(422);
		expect(((await unlocked.json()) as { error: { message: string } }).error.message).toContain(
			'not locked'
		);
		const allowed = await post({ batchIds: [open.batchId], format: 'trl', lockedOnly: false });
		expect(allowed.status).toBe(201);
	});

	it('is for leads only', async () => {
		const res = await post({ batches: [fixture.name], format: 'trl' }, researcherToken);
		expect(res.status).toBe(403);
	});
});
