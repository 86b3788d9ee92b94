// The import benchmark's probe: researchers save review drafts against the built server while
// the same file is imported through the API, and the latency of their requests is measured
// before and during the import.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createApiToken } from '../../src/lib/server/api-tokens';
import { createSession } from '../../src/lib/server/auth/session';
import { openBatch } from '../../src/lib/server/batches';
import { openDatabase } from '../../src/lib/server/db';
import { importFile } from '../../src/lib/server/imports';
import { assignResearcher, claimNextItem } from '../../src/lib/server/reviews';
import { httpPost, percentile } from './load';

const RESEARCHERS = 16;
/** Each researcher saves a draft, waits this long, and saves again. */
const THINK_MS = 100;
const root = fileURLToPath(new URL('../../', import.meta.url));

export type ProbeResult = {
	importSeconds: number;
	items: number;
	before: number[];
	during: number[];
	errors: number;
	serverPeakRssMb: number | null;
};

type Researcher = { cookie: string; itemId: number; payload: string };

/** A batch under review: one item held by each researcher, each with a session. */
function setUp(dbPath: string, reviewFile: string) {
	const db = openDatabase(dbPath);
	const c = db.$client;
	const user = c.prepare(
		`INSERT INTO users (username, display_name, password_hash, role) VALUES (?, ?, 'unused', ?) RETURNING id`
	);
	const id = (name: string, role: string) => (user.get(name, name, role) as { id: number }).id;
	const admin = id('admin', 'admin');
	const lead = id('lead', 'lead');
	return importFile(db, reviewFile, { actorId: lead, batch: 'Under review' }).then((result) => {
		if (!result.ok || result.kind !== 'batch') throw new Error(JSON.stringify(result));
		openBatch(db, lead, result.batchId);
		const researchers: Researcher[] = [];
		for (let r = 0; r < RESEARCHERS; r++) {
			const userId = id(`researcher-${r}`, 'researcher');
			assignResearcher(db, lead, result.batchId, userId, null);
			const itemId = claimNextItem(db, userId, result.batchId).itemId!;
			const responseIds = c
				.prepare(`SELECT id FROM responses WHERE item_id = ? ORDER BY position`)
				.pluck()
				.all(itemId) as number[];
			const payload = JSON.stringify({
				scores: Object.fromEntries(responseIds.map((rid, p) => [rid, 7 - p])),
				ranks: Object.fromEntries(responseIds.map((rid, p) => [rid, p + 1])),
				comments: {},
				overallComment: '',
				flags: [],
				timeSpentMs: 10_000
			});
			const cookie = `tr_session=${createSession(db, userId).token}`;
			researchers.push({ cookie, itemId, payload });
		}
		const token = createApiToken(db, admin, lead, 'bench').token;
		c.close();
		return { batchId: result.batchId, researchers, token };
	});
}

/** Streams the file to the import API; resolves with the status, body and seconds taken. */
function postFile(url: string, token: string, file: string) {
	return new Promise<{ status: number; text: string; seconds: number }>((resolve, reject) => {
		const started = performance.now();
		const req = request(
			url,
			{
				method: 'POST',
				headers: {
					authorization: `Bearer ${token}`,
					'content-type': 'application/x-ndjson',
					'content-length': statSync(file).size
				}
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk) => (text += chunk));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						text,
						seconds: (performance.now() - started) / 1000
					})
				);
			}
		);
		req.on('error', reject);
		createReadStream(file).pipe(req);
	});
}

/** The peak resident memory of a process, from Linux's /proc; null elsewhere. */
function peakRssMb(pid: number): number | null {
	const status = `/proc/${pid}/status`;
	if (!existsSync(status)) return null;
	const kb = readFileSync(status, 'utf8').match(/VmHWM:\s+(\d+)/)?.[1];
	return kb ? Number(kb) / 1024 : null;
}

export async function probeDuringImport(
	file: string,
	reviewFile: string,
	dir: string
): Promise<ProbeResult> {
	if (!existsSync(join(root, 'build', 'index.js'))) {
		throw new Error('The probe runs the built server: run `npm run build` first.');
	}
	const dbPath = join(dir, 'import-probe.db');
	for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
	const { batchId, researchers, token } = await setUp(dbPath, reviewFile);

	const port = 3927;
	const base = `http://127.0.0.1:${port}`;
	const server = spawn(process.execPath, [join(root, 'scripts', 'start.js')], {
		env: {
			...process.env,
			DATABASE_PATH: dbPath,
			PORT: String(port),
			HOST: '127.0.0.1',
			IMPORT_MAX_FILE_MB: String(1024 * 1024)
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	try {
		for (let i = 0; i < 300; i++) {
			if (
				await fetch(`${base}/api/health`).then(
					(r) => r.ok,
					() => false
				)
			)
				break;
			await sleep(100);
		}
		let phase = 'warm-up' as 'warm-up' | 'before' | 'during' | 'done';
		const timings = { before: [] as number[], during: [] as number[] };
		let errors = 0;
		const saving = researchers.map(async (r) => {
			while (phase !== 'done') {
				const at = phase;
				const started = performance.now();
				const res = await httpPost(
					`${base}/review/${batchId}/items/${r.itemId}?/save`,
					{
						origin: base,
						'x-sveltekit-action': 'true',
						accept: 'application/json',
						'content-type': 'application/x-www-form-urlencoded',
						cookie: r.cookie
					},
					new URLSearchParams({ payload: r.payload }).toString()
				);
				const ms = performance.now() - started;
				if (res.status !== 200 || !res.text.includes('"success"')) errors += 1;
				// Counted by when it was sent.
				if (at !== 'warm-up') timings[at].push(ms);
				await sleep(THINK_MS);
			}
		});
		await sleep(2000);
		phase = 'before';
		await sleep(3000);
		phase = 'during';
		const imported = await postFile(
			`${base}/api/v1/imports?batch=probe&constitution=probe`,
			token,
			file
		);
		phase = 'done';
		await Promise.all(saving);
		if (imported.status !== 201) throw new Error(`The import failed: ${imported.text}`);
		return {
			importSeconds: imported.seconds,
			items: (JSON.parse(imported.text) as { items: number }).items,
			...timings,
			errors,
			serverPeakRssMb: peakRssMb(server.pid!)
		};
	} finally {
		await new Promise<void>((resolve) => {
			server.once('exit', () => resolve());
			server.kill('SIGTERM');
		});
		for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
	}
}

export function describeLatencies(values: number[]): string {
	const ms = (q: number) => `${percentile(values, q).toFixed(0)}`;
	return `p50 ${ms(50)} / p99 ${ms(99)} / max ${ms(100)} ms (n=${values.length})`;
}
