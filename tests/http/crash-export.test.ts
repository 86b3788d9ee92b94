// Kill -9 in the middle of an export, then start again: no record without its complete file,
// no temporary file left behind, and the export runs again and verifies.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/lib/server/api-tokens';
import { openDatabase, type AppDB } from '../../src/lib/server/db';
import { exports } from '../../src/lib/server/db/schema';
import { verifyExport } from '../../src/lib/server/exports';
import { importFile } from '../../src/lib/server/imports';
import { makeUser } from '../support/factories';
import { postAction, sessionCookieFor } from '../support/http';

const start = fileURLToPath(new URL('../../scripts/start.js', import.meta.url));
/** Enough items that writing the export takes a moment, so it can be killed halfway. */
const ITEMS = 20_000;

let folder: string;
let exportsDir: string;
let db: AppDB;
let token: string;
let leadId: number;
let server: { url: string; child: ChildProcess } | undefined;

async function until<T>(what: string, check: () => T | Promise<T>, seconds = 30): Promise<T> {
	const deadline = Date.now() + seconds * 1000;
	for (;;) {
		const found = await check();
		if (found) return found;
		if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}.`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/** The built server on this test's database, as a child process it can kill. */
async function startServer() {
	if (!existsSync(join(start, '..', '..', 'build', 'index.js'))) {
		throw new Error('No build found: run `npm run build` before these tests.');
	}
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	let logs = '';
	const child = spawn(process.execPath, [start], {
		cwd: folder,
		env: { ...process.env, DATABASE_PATH: db.$client.name, PORT: String(port), ORIGIN: url },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (d) => (logs += d));
	child.stderr?.on('data', (d) => (logs += d));
	server = { url, child };
	await until('the server to answer', () => {
		if (child.exitCode !== null) throw new Error(`The server exited:\n${logs}`);
		return fetch(`${url}/api/health`).then(
			(res) => res.ok,
			() => false
		);
	});
}

async function killServer(signal: NodeJS.Signals) {
	const child = server?.child;
	server = undefined;
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((r) => child.once('exit', r));
	child.kill(signal);
	await exited;
}

function postExport() {
	return fetch(`${server!.url}/api/v1/exports`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify({ batches: ['large'], format: 'reviews-jsonl', lockedOnly: false })
	});
}

const names = () => (existsSync(exportsDir) ? readdirSync(exportsDir) : []);
const temporary = () => names().filter((name) => name.startsWith('.writing-'));

beforeAll(async () => {
	folder = mkdtempSync(join(tmpdir(), 'crash-export-'));
	exportsDir = join(folder, 'exports');
	db = openDatabase(join(folder, 'test.db'));
	const admin = await makeUser(db, { role: 'admin' });
	const lead = await makeUser(db, { role: 'lead' });
	leadId = lead.id;
	token = createApiToken(db, admin.id, lead.id, 'crash').token;
	const file = join(folder, 'large.jsonl');
	const words = 'a response long enough to make each line of the export count '.repeat(4);
	const lines = Array.from({ length: ITEMS }, (_, i) =>
		JSON.stringify({
			id: `item-${i}`,
			trait: 'warmth',
			prompt: `Prompt number ${i}: ${words}`,
			responses: [{ content: `First, ${words}` }, { content: `Second, ${words}` }]
		})
	);
	writeFileSync(file, lines.join('\n') + '\n');
	const imported = await importFile(db, file, { actorId: null, batch: 'large' });
	if (!imported.ok || imported.kind !== 'batch') throw new Error(JSON.stringify(imported));
	// One submitted review per item, straight in SQL: the export has a line to write for each.
	db.$client.exec(`
		INSERT INTO reviews (item_id, batch_id, user_id, status, trait_version_id, shown_order,
		                     started_at, updated_at, submitted_at)
		SELECT id, batch_id, ${lead.id}, 'submitted', trait_version_id, '[]', 0, 0, 0
		  FROM items WHERE batch_id = ${imported.batchId};
		INSERT INTO review_responses (review_id, response_id, score, rank)
		SELECT rv.id, rs.id, 4 + rs.position, 2 - rs.position
		  FROM reviews rv JOIN responses rs ON rs.item_id = rv.item_id;
		UPDATE items SET submitted_count = 1 WHERE batch_id = ${imported.batchId};`);
}, 120_000);

afterAll(async () => {
	await killServer('SIGKILL');
	db?.$client.close();
	if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('an export killed halfway', () => {
	it('leaves no record without its file, is cleaned at the next start, and runs again', async () => {
		await startServer();
		let outcome: string | null = null;
		const interrupted = postExport().then(
			(res) => (outcome = `finished first (${res.status})`),
			() => (outcome = 'cut off')
		);
		// Kill it once the file is being written, and before it is finished.
		const writing = await until(
			'the export to start writing',
			() =>
				(temporary().some((name) => statSync(join(exportsDir, name)).size > 0) && 'writing') ||
				outcome
		);
		expect(writing).toBe('writing');
		await killServer('SIGKILL');
		expect(await interrupted).toBe('cut off');
		expect(temporary()).toHaveLength(1);

		await startServer();
		// The start removed the temporary file, and left no file without a record or the reverse.
		expect(temporary()).toEqual([]);
		const records = db.select().from(exports).all();
		expect(names().sort()).toEqual(records.map((r) => r.fileName).sort());
		for (const record of records) {
			expect((await verifyExport(db, record.id, exportsDir))?.problems).toEqual([]);
		}

		const res = await postExport();
		expect(res.status).toBe(201);
		const { id, rowCount } = (await res.json()) as { id: number; rowCount: number };
		expect(rowCount).toBe(ITEMS);
		expect((await verifyExport(db, id, exportsDir))?.problems).toEqual([]);
		// The export page's "Verify file" says the same.
		const verified = await postAction(
			server!.url,
			`/exports/${id}?/verify`,
			{},
			sessionCookieFor(db, leadId)
		);
		expect(verified).toMatchObject({ type: 'success', status: 200 });
		expect(verified.data).not.toMatch(/differs|missing|the record says/);
		expect(temporary()).toEqual([]);
	});
});
