import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countEveryTable, makeLeadToken } from '../support/imports';
import { makeUser } from '../support/factories';
import { postAction, sessionCookieFor } from '../support/http';
import { startServer, type TestServer } from '../support/server';

/**
 * Issue 11, "Trust", over HTTP: files that once answered 500 (or imported silently changed) now
 * answer 4xx with their problems, and write nothing.
 */

let server: TestServer;
let token: string;
let adminId: number;

beforeAll(async () => {
	server = await startServer();
	({ adminId, token } = await makeLeadToken(server.db));
});
afterAll(() => server?.stop());

function post(query: string, body: string | Buffer, headers: Record<string, string> = {}) {
	return fetch(`${server.url}/api/v1/imports?${query}`, {
		method: 'POST',
		headers: {
			authorization: `Bearer ${token}`,
			'content-type': 'application/octet-stream',
			...headers
		},
		body: typeof body === 'string' ? body : new Uint8Array(body)
	});
}

const deep = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const line = (extra: string) =>
	`{"trait":"warmth","prompt":"p","responses":[{"content":"a"},{"content":"b"}]${extra}}\n`;
/** A line whose prompt is "café" in Latin-1: not UTF-8. */
const latin1 = Buffer.concat([
	Buffer.from('{"trait":"warmth","prompt":"caf'),
	Buffer.from([0xe9]),
	Buffer.from('","responses":[{"content":"a"},{"content":"b"}]}\n')
]);

const BAD_FILES: { name: string; body: string | Buffer; status: number }[] = [
	{
		name: 'a trait key with a space',
		body: line(',"id":"x"').replace('warmth', 'my trait'),
		status: 422
	},
	{ name: 'metadata 5,000 levels deep', body: line(`,"metadata":${deep(5000)}`), status: 422 },
	{ name: 'metadata 3,000 levels deep', body: line(`,"metadata":${deep(3000)}`), status: 422 },
	{ name: 'an escaped lone surrogate', body: line(',"id":"\\ud800"'), status: 422 },
	{ name: 'invalid UTF-8', body: latin1, status: 422 },
	{
		name: 'a Model Spec title over 200 characters',
		body: `## ${'T'.repeat(300)} {#t authority=user}\n**Example**: x\n~~~xml\n<user>\nhi\n</user>\n~~~\n`,
		status: 422
	},
	{ name: 'a header line of "{#"', body: '# ' + '{#a '.repeat(300_000) + '\n', status: 422 },
	{
		name: 'random bytes',
		body: Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 97) % 256)),
		status: 422
	},
	{
		name: 'a list of numbers first',
		body: '[1,2,3]\n{"trait":"I am kind.","questions":[]}\n',
		status: 422
	}
];

describe('POST /api/v1/imports with files that once broke it', () => {
	it.each(BAD_FILES)('$name: 4xx, nothing written', async ({ name, body, status }) => {
		const before = countEveryTable(server.db);
		const res = await post(`constitution=${encodeURIComponent(name)}`, body);
		const reply = await res.json();
		expect(res.status, JSON.stringify(reply).slice(0, 300)).toBe(status);
		expect(reply.error.message).toBeTruthy();
		expect(countEveryTable(server.db)).toEqual(before);
	});

	it('refuses a number written in hex', async () => {
		const res = await post('constitution=c&overlap=0x10', line(''));
		expect(res.status).toBe(400);
		expect((await res.json()).error.message).toMatch(/overlap/);
	});

	it('names the constitution after the file, or asks for one', async () => {
		const unnamed = await post('', line(',"id":"unnamed"'));
		expect(unnamed.status).toBe(400);
		expect((await unnamed.json()).error.message).toMatch(/constitution/);

		const named = await post('', line(',"id":"named"'), {
			'content-disposition': 'attachment; filename="warm replies.jsonl"'
		});
		expect(named.status).toBe(201);
		expect(await named.json()).toMatchObject({ constitutionName: 'warm replies' });
	});

	it('imports invalid UTF-8 replaced, when asked to', async () => {
		const res = await post('constitution=replaced&replace_invalid_utf8=true', latin1);
		expect(res.status).toBe(201);
	});

	it('the assignments form takes quotas and overlaps in digits only', async () => {
		const imported = await post('constitution=assigned&batch=assigned', line(',"id":"assigned"'));
		expect(imported.status).toBe(201);
		const { batchId } = await imported.json();
		const researcher = await makeUser(server.db, { role: 'researcher' });
		const cookie = sessionCookieFor(server.db, adminId);
		const act = (action: string, fields: Record<string, string>) =>
			postAction(
				server.url,
				`/admin/assignments?/${action}`,
				{ batchId: String(batchId), ...fields },
				cookie
			);
		const assign = (quota: string) => act('assign', { userId: String(researcher.id), quota });
		expect(await assign('0x10')).toMatchObject({ type: 'failure', status: 400 });
		expect(await assign('1e1')).toMatchObject({ type: 'failure', status: 400 });
		expect(await act('overlap', { overlap: '0x10' })).toMatchObject({
			type: 'failure',
			status: 400
		});
		expect(await assign('16')).toMatchObject({ type: 'success' });
		expect(await act('overlap', { overlap: '4' })).toMatchObject({ type: 'success' });
	});
});
