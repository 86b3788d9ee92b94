import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/lib/server/api-tokens';
import { importFile } from '../../src/lib/server/imports';
import { makeUser } from '../support/factories';
import { postAction, sessionCookieFor } from '../support/http';
import { plantImportingBatch, writeNativeFile } from '../support/import-leftovers';
import { startServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';

/**
 * A batch being imported is `importing` until its last chunk commits: nobody sees it. A server
 * killed in the middle of an import leaves it behind, and the next start removes it.
 */
let first: TestServer;
let restarted: TestServer | undefined;
let killed = false;
let admin: Awaited<ReturnType<typeof makeUser>>;
let lead: Awaited<ReturnType<typeof makeUser>>;
let leadToken: string;

beforeAll(async () => {
	first = await startServer();
	admin = await makeUser(first.db, { role: 'admin' });
	lead = await makeUser(first.db, { role: 'lead' });
	leadToken = createApiToken(first.db, admin.id, lead.id, 'ci').token;
});

afterAll(async () => {
	await restarted?.stop();
	if (!killed) return first?.stop();
	// Its process is gone already; its database folder, which the restarted server used, is not.
	first.db.$client.close();
	rmSync(dirname(first.dbPath), { recursive: true, force: true });
});

/** The status and body of a page, as `userId` sees it (both servers share the first's database). */
async function page(server: TestServer, userId: number, path: string) {
	const res = await fetch(server.url + path, {
		headers: { cookie: sessionCookieFor(first.db, userId) },
		redirect: 'manual'
	});
	return { status: res.status, text: await res.text() };
}

function postImport(server: TestServer, query: string, body: string) {
	return fetch(`${server.url}/api/v1/imports?${query}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${leadToken}`, 'content-type': 'application/x-ndjson' },
		body
	});
}

describe('a batch being imported', () => {
	it('is invisible on the main pages, to its actions and to the API', async () => {
		const researcher = await makeUser(first.db, { role: 'researcher' });
		const visible = await importFile(first.db, writeNativeFile(3, { salt: '-visible' }), {
			actorId: lead.id,
			batch: 'Visible batch',
			constitution: 'Leftovers'
		});
		expect(visible.ok).toBe(true);
		// Written by this test process, which is alive: the server leaves it alone.
		const hidden = plantImportingBatch(
			first.db,
			{ pid: process.pid },
			{ name: 'Hidden importing batch', items: 5 }
		);
		const constitutionId = visible.ok ? visible.constitutionId : 0;
		const itemId = first.db.$client
			.prepare(`SELECT id FROM items WHERE batch_id = ? LIMIT 1`)
			.pluck()
			.get(hidden) as number;

		for (const path of ['/', '/batches', '/dashboard', '/exports/new', '/admin/assignments']) {
			const { status, text } = await page(first, admin.id, path);
			expect(status, path).toBe(200);
			expect(text, path).not.toContain('Hidden importing batch');
		}
		expect((await page(first, admin.id, '/batches')).text).toContain('Visible batch');
		const constitution = await page(first, admin.id, `/constitutions/${constitutionId}`);
		expect(constitution.text).toContain('Visible batch');
		expect(constitution.text).not.toContain('Hidden importing batch');
		for (const path of ['', '/dashboard', '/adjudicate', `/items/${itemId}`]) {
			expect((await page(first, admin.id, `/batches/${hidden}${path}`)).status, path).toBe(404);
		}
		expect((await page(first, researcher.id, `/review/${hidden}`)).status).toBe(403);

		const cookie = sessionCookieFor(first.db, admin.id);
		expect((await postAction(first.url, `/batches/${hidden}?/open`, {}, cookie)).type).toBe(
			'failure'
		);
		const assign = await postAction(
			first.url,
			'/admin/assignments?/assign',
			{ batchId: String(hidden), userId: String(researcher.id) },
			cookie
		);
		expect(assign.type).toBe('failure');

		for (const body of [{ batchIds: [hidden] }, { batches: ['Hidden importing batch'] }]) {
			const res = await fetch(`${first.url}/api/v1/exports`, {
				method: 'POST',
				headers: { authorization: `Bearer ${leadToken}`, 'content-type': 'application/json' },
				body: JSON.stringify({ ...body, format: 'trl', lockedOnly: false })
			});
			expect(res.status).toBeGreaterThanOrEqual(400);
			expect(res.status).toBeLessThan(500);
		}
		const status = first.db.$client
			.prepare(`SELECT status FROM batches WHERE id = ?`)
			.pluck()
			.get(hidden);
		expect(status).toBe('importing');
	});

	it('killed mid-write leaves nothing visible; on restart the leftover goes and the file imports', async () => {
		const file = readFileSync(writeNativeFile(60_000, { salt: '-crash', responses: 3 }), 'utf8');
		const upload = postImport(first, 'batch=Crash&constitution=Crash', file).catch(
			(e: unknown) => e
		);
		const writing = await waitFor(
			() =>
				first.db.$client
					.prepare(
						`SELECT b.id, i.writer_pid AS pid FROM batches b JOIN imports i ON i.batch_id = b.id
						  WHERE b.name = 'Crash' AND b.status = 'importing'`
					)
					.get() as { id: number; pid: number } | undefined,
			'the import to start writing',
			{ timeoutMs: 60000, everyMs: 20 }
		);
		process.kill(writing.pid, 'SIGKILL');
		killed = true;
		expect(await upload).toBeInstanceOf(Error);
		const partial = first.db.$client
			.prepare(`SELECT count(*) FROM items WHERE batch_id = ?`)
			.pluck()
			.get(writing.id) as number;
		expect(partial).toBeLessThan(60_000);

		restarted = await startServer({ DATABASE_PATH: first.dbPath });
		expect((await page(restarted, lead.id, '/batches')).text).not.toContain('Crash');
		await waitFor(
			() =>
				first.db.$client.prepare(`SELECT 1 FROM batches WHERE id = ?`).get(writing.id)
					? undefined
					: true,
			'the leftover to be removed',
			{ timeoutMs: 30000, everyMs: 20 }
		);
		const orphans = first.db.$client
			.prepare(
				`SELECT (SELECT count(*) FROM items WHERE batch_id = ?) + (SELECT count(*) FROM imports WHERE batch_id = ?)`
			)
			.pluck()
			.get(writing.id, writing.id);
		expect(orphans).toBe(0);
		// The constitution the killed import created went with its batch (its traits with it).
		const created = first.db.$client
			.prepare(`SELECT count(*) FROM constitutions WHERE name = 'Crash'`)
			.pluck()
			.get();
		expect(created).toBe(0);
		expect(restarted.logs()).toContain('left unfinished by an import that stopped');

		const again = await postImport(restarted, 'batch=Crash&constitution=Crash', file);
		expect(again.status).toBe(201);
		expect(await again.json()).toMatchObject({ ok: true, items: 60_000, responses: 180_000 });
		expect((await page(restarted, lead.id, '/batches')).text).toContain('Crash');
	}, 240_000);
});
