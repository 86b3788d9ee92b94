import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type AppDB } from '../../src/lib/server/db';

const root = fileURLToPath(new URL('../..', import.meta.url));
const entry = join(root, 'build', 'index.js');
const start = join(root, 'scripts', 'start.js');

export type TestServer = {
	url: string;
	/** A handle on the server's database, for seeding and for checking what was written. */
	db: AppDB;
	dbPath: string;
	logs: () => string;
	stop: () => Promise<void>;
};

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.unref();
		probe.on('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => resolve(port));
		});
	});
}

async function waitUntilUp(url: string, child: ChildProcess, logs: () => string): Promise<void> {
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`The server exited early:\n${logs()}`);
		try {
			const res = await fetch(`${url}/api/health`);
			if (res.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`The server did not come up in 30 s:\n${logs()}`);
}

/**
 * Runs the built app (`npm run build` first; `npm test` does) on a free port with a fresh
 * temporary database, the way production runs it.
 */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
	if (!existsSync(entry))
		throw new Error('No build found: run `npm run build` before these tests.');
	const dir = mkdtempSync(join(tmpdir(), 'trait-review-test-'));
	const dbPath = join(dir, 'test.db');
	const db = openDatabase(dbPath);
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	let output = '';
	// Through the production start script, so its defaults are what the tests exercise.
	const child = spawn(process.execPath, [start], {
		cwd: dir,
		env: {
			...process.env,
			DATABASE_PATH: dbPath,
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: url,
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (d) => (output += d));
	child.stderr?.on('data', (d) => (output += d));
	const logs = () => output;
	await waitUntilUp(url, child, logs);
	return {
		url,
		db,
		dbPath,
		logs,
		stop: async () => {
			if (child.exitCode === null) {
				const exited = new Promise((r) => child.once('exit', r));
				child.kill('SIGTERM');
				await exited;
			}
			db.$client.close();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
