/**
 * The OpenAPI description against the real server: it is served publicly, is OpenAPI 3.1 in
 * shape, names every API route, takes its enums from the shared lists, and describes what the
 * server really answers. Each operation is called for every status it documents that a request
 * can provoke, and each answer's body and headers are checked against the description for that
 * status and media type; a documented status no request reached must be excused below.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, PAIR_STRATEGIES } from '../../src/lib/export-options';
import { IMPORT_FORMAT_CHOICES } from '../../src/lib/import-formats';
import { createApiToken } from '../../src/lib/server/api-tokens';
import { exports } from '../../src/lib/server/db/schema';
import { buildExportBatch } from '../support/export-fixture';
import { makeUser } from '../support/factories';
import { fixturePath } from '../support/fixtures';
import { sessionCookieFor } from '../support/http';
import {
	resolvePointer,
	unsupportedKeywords,
	validateJson,
	type Schema
} from '../support/json-schema';
import { importGeneratedBatch } from '../support/review-batches';
import { reviewLine, reviewsJsonl } from '../support/review-lines';
import { startServer, type TestServer } from '../support/server';
import { ACCESS } from './access-table';
import { discoverRoutes } from './routes';

type Content = Record<string, { schema?: Schema }>;
type Answer = {
	$ref?: string;
	headers?: Record<string, { required?: boolean }>;
	content?: Content;
};
type Operation = {
	operationId: string;
	security?: unknown[];
	'x-minimum-role'?: string;
	parameters?: { $ref?: string; name: string; schema: Schema }[];
	requestBody?: { content: Content };
	responses: Record<string, Answer>;
};
type Description = {
	openapi: string;
	info: { title: string; version: string };
	paths: Record<string, Record<string, Operation>>;
	components: { schemas: Record<string, Schema> };
};

/** Documented answers (status and error code) no request here can reach, and why. */
const EXCUSED: Record<string, string> = {
	'POST /api/v1/exports 409 request_in_progress': 'needs a first request still running',
	'POST /api/v1/exports 404 cannot_export': 'the export finds unknown ids only as a 422',
	'POST /api/v1/imports 409 conflict': 'needs another import to take the name mid-check',
	'POST /api/v1/batches/{id}/reviews 409 conflict': 'needs a review to fill an item mid-check'
};

const EVIL = 'https://evil.example';
const LIMITS = { MAX_BODY_KB: '64', IMPORT_MAX_FILE_MB: '1' };

let server: TestServer;
let doc: Description;
let token: { lead: string; researcher: string };
let leadCookie: () => string;
let locked: Awaited<ReturnType<typeof buildExportBatch>>;
let open: Awaited<ReturnType<typeof buildExportBatch>>;
/** "METHOD /path status code" for each documented answer a request got. */
const reached = new Set<string>();

beforeAll(async () => {
	server = await startServer(LIMITS);
	const admin = await makeUser(server.db, { role: 'admin' });
	locked = await buildExportBatch(server.db, { lock: true });
	open = await buildExportBatch(server.db);
	const researcher = await makeUser(server.db, { role: 'researcher' });
	token = {
		lead: createApiToken(server.db, admin.id, locked.lead.id, 'ci').token,
		researcher: createApiToken(server.db, admin.id, researcher.id, 'nosy').token
	};
	leadCookie = () => sessionCookieFor(server.db, locked.lead.id);
	const res = await fetch(`${server.url}/api/v1/openapi.json`);
	doc = (await res.json()) as Description;
});
afterAll(() => server?.stop());

const resolve = <T extends { $ref?: string }>(node: T): T =>
	node.$ref ? (resolvePointer(doc, node.$ref) as T) : node;

const operation = (method: string, path: string) => doc.paths[path]?.[method.toLowerCase()];

type Call = {
	params?: Record<string, string | number>;
	query?: string;
	headers?: Record<string, string>;
	body?: string;
};

/**
 * Calls a documented operation and checks the answer against the description: its status is
 * documented, its required headers are there, and its body matches the schema given for its
 * media type. Returns the body (parsed when JSON) and the response.
 */
async function call(method: string, path: string, init: Call = {}) {
	const url = path.replace(/\{(\w+)\}/g, (_, name) => String(init.params?.[name]));
	const res = await fetch(`${server.url}${url}${init.query ? `?${init.query}` : ''}`, {
		method,
		headers: init.headers,
		body: init.body,
		redirect: 'manual'
	});
	const label = `${method} ${url} → ${res.status}`;
	const op = operation(method, path);
	expect(op, `${method} ${path} is documented`).toBeDefined();
	const documented = op.responses[String(res.status)];
	expect(documented, `${label} is a documented status`).toBeDefined();
	const answer = resolve(documented);
	for (const [name, header] of Object.entries(answer.headers ?? {})) {
		if (header.required) expect(res.headers.get(name), `${label} header ${name}`).not.toBeNull();
	}
	const type = (res.headers.get('content-type') ?? '').split(';')[0].trim();
	const media = answer.content?.[type];
	expect(media, `${label} answers ${type}, a documented type`).toBeDefined();
	const text = await res.text();
	const body: unknown = type === 'application/json' ? JSON.parse(text) : text;
	if (media?.schema !== undefined) {
		expect(validateJson(body, media.schema, doc), `${label} ${text.slice(0, 300)}`).toEqual([]);
	}
	const code = (body as { error?: { code?: string } } | null)?.error?.code;
	reached.add([method, path, res.status, code].filter(Boolean).join(' '));
	return { res, body: body as { error: { code: string } } & Record<string, unknown> };
}

const bearer = (who: keyof typeof token) => ({ authorization: `Bearer ${token[who]}` });
const errorCode = (body: { error: { code: string } }) => body.error.code;

/** The error codes an answer documents (`allOf: [ApiError, {…code: {enum}}]`), or [''] for none. */
function errorCodes(answer: Answer): string[] {
	const schema = answer.content?.['application/json']?.schema as
		| { allOf?: { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } }[] }
		| undefined;
	return schema?.allOf?.[1]?.properties?.error?.properties?.code?.enum ?? [''];
}

/** Every `$ref` in the document, wherever it is. */
function refsIn(node: unknown): string[] {
	if (Array.isArray(node)) return node.flatMap(refsIn);
	if (typeof node !== 'object' || node === null) return [];
	return Object.entries(node).flatMap(([key, value]) =>
		key === '$ref' ? [value as string] : refsIn(value)
	);
}

/** Every schema the description gives: components, parameters, bodies and headers. */
function schemasIn(node: unknown): Schema[] {
	if (Array.isArray(node)) return node.flatMap(schemasIn);
	if (typeof node !== 'object' || node === null) return [];
	return Object.entries(node).flatMap(([key, value]) => {
		if (key === 'schema') return [value as Schema];
		if (key === 'schemas') return Object.values(value as Record<string, Schema>);
		return schemasIn(value);
	});
}

describe('the description', () => {
	it('is served to anyone as JSON', async () => {
		const { res } = await call('GET', '/api/v1/openapi.json');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
	});

	it('is OpenAPI 3.1 in shape, and every $ref resolves', () => {
		expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
		expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
		expect(Object.keys(doc.components.schemas).length).toBeGreaterThan(0);
		const ids = Object.values(doc.paths).flatMap((item) =>
			Object.values(item).map((op) => op.operationId)
		);
		expect(new Set(ids).size).toBe(ids.length);
		for (const [path, item] of Object.entries(doc.paths)) {
			expect(path).toMatch(/^\//);
			for (const op of Object.values(item)) {
				expect(Object.keys(op.responses).length, op.operationId).toBeGreaterThan(0);
			}
		}
		const refs = refsIn(doc);
		expect(refs.length).toBeGreaterThan(0);
		for (const ref of refs) expect(() => resolvePointer(doc, ref), ref).not.toThrow();
	});

	it('uses only JSON Schema keywords these tests check', () => {
		const schemas = schemasIn(doc);
		expect(schemas.length).toBeGreaterThan(5);
		expect(schemas.flatMap(unsupportedKeywords)).toEqual([]);
	});

	it('has a path for every API route, and no path that is not one', () => {
		const routes = discoverRoutes().filter((r) => r.id.startsWith('/api/'));
		expect(routes.map((r) => r.id)).toContain('/api/v1/imports');
		const asPaths = routes.map((r) => r.id.replace(/\[(\w+)\]/g, '{$1}'));
		expect(Object.keys(doc.paths).sort()).toEqual(asPaths.sort());
		for (const route of routes) {
			const item = doc.paths[route.id.replace(/\[(\w+)\]/g, '{$1}')];
			expect(Object.keys(item).sort(), route.id).toEqual(
				route.endpoints.map((m) => m.toLowerCase()).sort()
			);
		}
	});

	it('says who may call each operation, as the authorization table does', () => {
		for (const [path, item] of Object.entries(doc.paths)) {
			const id = path.replace(/\{(\w+)\}/g, '[$1]');
			for (const [method, op] of Object.entries(item)) {
				const access = ACCESS[id]?.endpoints?.[method.toUpperCase()]?.access;
				if (access === 'public') expect(op.security, `${method} ${path}`).toEqual([]);
				else expect(op['x-minimum-role'], `${method} ${path}`).toBe(access);
			}
		}
	});

	it('takes its formats and strategies from the shared lists', () => {
		const request = doc.components.schemas.ExportRequest as {
			properties: Record<string, { enum?: string[] }>;
		};
		expect(request.properties.format.enum).toEqual([...EXPORT_FORMATS]);
		expect(request.properties.strategy.enum).toEqual([...PAIR_STRATEGIES]);
		const format = operation('POST', '/api/v1/imports').parameters?.find(
			(p) => p.name === 'format'
		);
		expect((format?.schema as { enum: string[] }).enum).toEqual([...IMPORT_FORMAT_CHOICES]);
	});
});

describe('GET /api/health', () => {
	it('answers as documented', async () => {
		expect((await call('GET', '/api/health')).body).toEqual({ ok: true });
	});
});

describe('POST /api/v1/imports', () => {
	const path = '/api/v1/imports';
	const file = (name: string) => readFileSync(fixturePath(name), 'utf8');
	const post = (query: string, body: string, headers: Record<string, string> = bearer('lead')) =>
		call('POST', path, {
			query,
			body,
			headers: { 'content-type': 'application/x-ndjson', ...headers }
		});

	it('answers 201 with a batch or a constitution, for options the description allows', async () => {
		const query = 'constitution=oa-native&batch=oa-native&overlap=2&blind=no';
		const params = operation('POST', path).parameters!;
		for (const [name, value] of new URLSearchParams(query)) {
			const param = params.find((p) => p.name === name)!;
			expect(validateJson(value, param.schema, doc), name).toEqual([]);
		}
		const batch = await post(query, file('native.jsonl'));
		expect(batch.res.status).toBe(201);
		expect(batch.body).toMatchObject({ kind: 'batch', batchName: 'oa-native' });
		const constitution = await post('constitution=oa-oct', file('oct-small.json'));
		expect(constitution.res.status).toBe(201);
		expect(constitution.body).toMatchObject({ kind: 'constitution' });
	});

	it('answers 409 for a file imported before', async () => {
		const again = await post('constitution=oa-native&batch=oa-again', file('native.jsonl'));
		expect(again.res.status).toBe(409);
		expect(again.body.error).toMatchObject({
			code: 'already_imported',
			existing: { batchName: 'oa-native' }
		});
	});

	it('answers 422 for a bad file and for one in no known format', async () => {
		const bad = await post('filename=native-bad.jsonl', file('native-bad.jsonl'));
		expect(bad.res.status).toBe(422);
		expect(errorCode(bad.body)).toBe('invalid_file');
		const taken = await post('constitution=oa-native&batch=oa-native', file('trl-standard.jsonl'));
		expect([taken.res.status, errorCode(taken.body)]).toEqual([422, 'invalid_file']);
		const unknown = await post('filename=table.csv', 'a,b\n1,2\n');
		expect(unknown.res.status).toBe(422);
		expect(errorCode(unknown.body)).toBe('unknown_format');
	});

	it('answers 400 for bad options', async () => {
		const { res, body } = await post('scale=12&filename=x.jsonl', file('trl-standard.jsonl'));
		expect(res.status).toBe(400);
		expect(errorCode(body)).toBe('bad_request');
	});

	it('answers 413 for a file over the import limit, and for a big body from a researcher', async () => {
		const big = 'x'.repeat(1024 * 1024 + 1);
		const lead = await post('filename=big.jsonl', big);
		expect(lead.res.status).toBe(413);
		expect(errorCode(lead.body)).toBe('file_too_large');
		const researcher = await post(
			'filename=big.jsonl',
			'x'.repeat(65 * 1024),
			bearer('researcher')
		);
		expect(researcher.res.status).toBe(413);
		expect(errorCode(researcher.body)).toBe('body_too_large');
	});

	it('answers 401 without a token or with a bad one, and 403 to a researcher or a forgery', async () => {
		const body = file('trl-standard.jsonl');
		const none = await post('filename=a.jsonl', body, {});
		expect([none.res.status, errorCode(none.body)]).toEqual([401, 'unauthorized']);
		const bad = await post('filename=a.jsonl', body, { authorization: 'Bearer trt_not-a-token' });
		expect([bad.res.status, errorCode(bad.body)]).toEqual([401, 'invalid_token']);
		const researcher = await post('filename=a.jsonl', body, bearer('researcher'));
		expect([researcher.res.status, errorCode(researcher.body)]).toEqual([403, 'forbidden']);
		const forged = await post('filename=a.jsonl', body, {
			cookie: leadCookie(),
			origin: EVIL,
			'content-type': 'text/plain'
		});
		expect([forged.res.status, errorCode(forged.body)]).toEqual([403, 'cross_site']);
	});
});

describe('POST /api/v1/batches/{id}/reviews', () => {
	const path = '/api/v1/batches/{id}/reviews';
	const file = reviewsJsonl([reviewLine(1, 'reviewer-1'), reviewLine(2, 'reviewer-2')]);
	const post = (
		id: number,
		query: string,
		body: string,
		headers: Record<string, string> = bearer('lead')
	) =>
		call('POST', path, {
			params: { id },
			query,
			body,
			headers: { 'content-type': 'application/x-ndjson', ...headers }
		});
	let batchId: number;
	beforeAll(async () => {
		({ batchId } = await importGeneratedBatch(server.db, locked.lead.id, { items: 2, overlap: 3 }));
	});

	const query = () => `map=${encodeURIComponent(`reviewer-1=${locked.lead.username}`)}&source=oa`;

	it('answers 201 with the reviewers, for parameters the description allows', async () => {
		const params = operation('POST', path).parameters!;
		for (const [name, value] of new URLSearchParams(query())) {
			const param = params.find((p) => p.name === name)!;
			const schema = param.schema as { type: string; items?: Schema };
			expect(validateJson(schema.type === 'array' ? [value] : value, schema, doc), name).toEqual(
				[]
			);
		}
		const { res, body } = await post(batchId, query(), file);
		expect(res.status).toBe(201);
		expect(body).toMatchObject({
			reviews: 2,
			reviewers: [{ external: false }, { username: 'ext-oa-reviewer-2', external: true }]
		});
	});

	it('answers 422 for the same file again, naming each line, and 400 for a bad map', async () => {
		const again = await post(batchId, query(), file);
		expect([again.res.status, errorCode(again.body)]).toEqual([422, 'invalid_file']);
		expect(again.body.error).toMatchObject({ issues: [{ line: 1 }, { line: 2 }] });
		const bad = await post(batchId, 'map=reviewer-1', file);
		expect([bad.res.status, errorCode(bad.body)]).toEqual([400, 'bad_request']);
	});

	it('answers 404 for no such batch and 409 for a locked one', async () => {
		const none = await post(999_999, '', file);
		expect([none.res.status, errorCode(none.body)]).toEqual([404, 'not_found']);
		const shut = await post(locked.batchId, '', file);
		expect([shut.res.status, errorCode(shut.body)]).toEqual([409, 'batch_locked']);
	});

	it('answers 413 for a file over the import limit, and for a big body from a researcher', async () => {
		const lead = await post(batchId, '', 'x'.repeat(1024 * 1024 + 1));
		expect([lead.res.status, errorCode(lead.body)]).toEqual([413, 'file_too_large']);
		const researcher = await post(batchId, '', 'x'.repeat(65 * 1024), bearer('researcher'));
		expect([researcher.res.status, errorCode(researcher.body)]).toEqual([413, 'body_too_large']);
	});

	it('answers 401 and 403 as documented', async () => {
		expect((await post(batchId, '', file, {})).res.status).toBe(401);
		const bad = await post(batchId, '', file, { authorization: 'Bearer trt_not-a-token' });
		expect([bad.res.status, errorCode(bad.body)]).toEqual([401, 'invalid_token']);
		expect((await post(batchId, '', file, bearer('researcher'))).res.status).toBe(403);
		const forged = await post(batchId, '', file, {
			cookie: leadCookie(),
			origin: EVIL,
			'content-type': 'text/plain'
		});
		expect([forged.res.status, errorCode(forged.body)]).toEqual([403, 'cross_site']);
	});
});

describe('POST /api/v1/exports and the download', () => {
	const path = '/api/v1/exports';
	const download = '/api/v1/exports/{id}/download';
	const post = (body: unknown, headers: Record<string, string> = bearer('lead')) =>
		call('POST', path, {
			body: typeof body === 'string' ? body : JSON.stringify(body),
			headers: { 'content-type': 'application/json', ...headers }
		});
	const requestSchema = () =>
		operation('POST', path).requestBody!.content['application/json'].schema!;

	it('answers 201 with the record, and replays it for the same Idempotency-Key', async () => {
		const options = { batches: [locked.name], format: 'trl', strategy: 'all-pairs' };
		expect(validateJson(options, requestSchema(), doc)).toEqual([]);
		const key = { ...bearer('lead'), 'idempotency-key': 'openapi-test-1' };
		const first = await post(options, key);
		expect(first.res.status).toBe(201);
		expect(first.res.headers.get('idempotent-replayed')).toBeNull();
		const replay = await post(options, key);
		expect(replay.res.status).toBe(201);
		expect(replay.res.headers.get('idempotent-replayed')).toBe('true');
		expect(replay.body).toEqual(first.body);

		const reused = await post({ ...options, strategy: 'best-vs-each' }, key);
		expect([reused.res.status, errorCode(reused.body)]).toEqual([422, 'idempotency_key_reused']);
		const badKey = await post(options, { ...bearer('lead'), 'idempotency-key': 'has space' });
		expect([badKey.res.status, errorCode(badKey.body)]).toEqual([400, 'bad_request']);
	});

	it('serves each format’s file with a documented media type and its hash', async () => {
		for (const format of ['openai', 'reviews-csv']) {
			const { body: record } = await post({ batchIds: [locked.batchId], format });
			const file = await call('GET', download, {
				params: { id: record.id as number },
				headers: bearer('lead')
			});
			expect(file.res.status).toBe(200);
			expect(file.res.headers.get('x-content-sha256')).toBe(record.sha256);
		}
	});

	it('answers the download’s refusals and a file gone from the server as documented', async () => {
		const { body: record } = await post({ batchIds: [locked.batchId], format: 'kto' });
		const id = record.id as number;
		const get = (params: Record<string, string | number>, headers: Record<string, string>) =>
			call('GET', download, { params, headers });
		expect((await get({ id }, {})).res.status).toBe(401);
		const bad = await get({ id }, { authorization: 'Bearer trt_not-a-token' });
		expect([bad.res.status, errorCode(bad.body)]).toEqual([401, 'invalid_token']);
		expect((await get({ id }, bearer('researcher'))).res.status).toBe(403);
		for (const missing of [999_999, 'abc']) {
			const { res, body } = await get({ id: missing }, bearer('lead'));
			expect([res.status, errorCode(body)]).toEqual([404, 'not_found']);
		}
		const stored = server.db.select().from(exports).where(eq(exports.id, id)).get()!;
		rmSync(join(dirname(server.dbPath), 'exports', stored.fileName));
		expect((await get({ id }, bearer('lead'))).res.status).toBe(410);
	});

	it('answers 400 for a body that is not an object or options that are not valid', async () => {
		const notJson = await post('not json');
		expect([notJson.res.status, errorCode(notJson.body)]).toEqual([400, 'bad_request']);
		const options = { batchIds: [locked.batchId], format: 'csv', minReviews: 0 };
		expect(validateJson(options, requestSchema(), doc)).not.toEqual([]);
		const invalid = await post(options);
		expect([invalid.res.status, errorCode(invalid.body)]).toEqual([400, 'invalid_options']);
	});

	it('answers 404 for a batch name that does not exist, 422 for an id or a batch not locked', async () => {
		const named = await post({ batches: ['no such batch'], format: 'trl' });
		expect([named.res.status, errorCode(named.body)]).toEqual([404, 'unknown_batch']);
		const byId = await post({ batchIds: [999_999], format: 'trl' });
		// Unlike a name, an unknown id is one of the options' problems: 422.
		expect([byId.res.status, errorCode(byId.body)]).toEqual([422, 'cannot_export']);
		const unlocked = await post({ batchIds: [open.batchId], format: 'trl' });
		expect([unlocked.res.status, errorCode(unlocked.body)]).toEqual([422, 'cannot_export']);
	});

	it('answers 413 for a body over the limit and 415 for one that is not JSON', async () => {
		const big = await post({ batches: ['x'.repeat(65 * 1024)], format: 'trl' });
		expect([big.res.status, errorCode(big.body)]).toEqual([413, 'body_too_large']);
		const form = await post('format=trl', { ...bearer('lead'), 'content-type': 'text/plain' });
		expect([form.res.status, errorCode(form.body)]).toEqual([415, 'unsupported_media_type']);
	});

	it('answers 401 and 403 as documented', async () => {
		const body = { batches: [locked.name], format: 'trl' };
		expect((await post(body, {})).res.status).toBe(401);
		const bad = await post(body, { authorization: 'Bearer trt_not-a-token' });
		expect([bad.res.status, errorCode(bad.body)]).toEqual([401, 'invalid_token']);
		expect((await post(body, bearer('researcher'))).res.status).toBe(403);
		const forged = await post(body, { cookie: leadCookie(), origin: EVIL });
		expect([forged.res.status, errorCode(forged.body)]).toEqual([403, 'cross_site']);
	});
});

describe('GET /api/v1/batches/{id}/report', () => {
	const path = '/api/v1/batches/{id}/report';
	const get = (id: number | string, headers: Record<string, string>) =>
		call('GET', path, { params: { id }, headers });

	it('answers 200 with the report the description gives', async () => {
		const { res, body } = await get(locked.batchId, bearer('lead'));
		expect(res.status).toBe(200);
		expect(body).toMatchObject({ version: 1, batches: [{ id: locked.batchId }] });
		const admin = await get(open.batchId, { cookie: leadCookie() });
		expect(admin.res.status).toBe(200);
	});

	it('answers 401, 403 and 404 as documented', async () => {
		expect((await get(locked.batchId, {})).res.status).toBe(401);
		const bad = await get(locked.batchId, { authorization: 'Bearer trt_not-a-token' });
		expect([bad.res.status, errorCode(bad.body)]).toEqual([401, 'invalid_token']);
		const researcher = await get(locked.batchId, bearer('researcher'));
		expect([researcher.res.status, errorCode(researcher.body)]).toEqual([403, 'forbidden']);
		for (const missing of [999_999, 'abc']) {
			const { res, body } = await get(missing, bearer('lead'));
			expect([res.status, errorCode(body)]).toEqual([404, 'not_found']);
		}
	});
});

describe('the requests above', () => {
	it('reached every documented status and error code, or it is excused', () => {
		const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
			Object.entries(item).flatMap(([method, op]) =>
				Object.entries(op.responses).flatMap(([status, answer]) =>
					errorCodes(resolve(answer)).map((code) =>
						[method.toUpperCase(), path, status, code].filter(Boolean).join(' ')
					)
				)
			)
		);
		const missed = documented.filter((s) => !reached.has(s) && !(s in EXCUSED));
		expect(missed).toEqual([]);
		expect(documented).toEqual(expect.arrayContaining(Object.keys(EXCUSED)));
	});
});
