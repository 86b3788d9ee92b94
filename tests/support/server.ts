import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type AppDB } from '../../src/lib/server/db';
import { waitFor } from './wait';

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

/**
 * Waits for the server's "Listening on http://host:port" line and returns that URL. The server
 * binds port 0, so the system picks a free port as it binds: no other process can take it
 * between a probe and the bind.
 */
async function listeningUrl(child: ChildProcess, logs: () => string): Promise<string> {
	// 'close' comes once the output is all read, so an early exit's message is complete.
	const closed = new Promise((resolve) => child.once('close', resolve));
	const found = await waitFor(
		() => child.exitCode !== null || logs().match(/Listening on (http:\/\/\S+)/)?.[1],
		() => `the server to listen:\n${logs()}`,
		{ timeoutMs: 30_000, everyMs: 50 }
	);
	if (typeof found === 'string') return found.replace(/\/$/, '');
	await closed;
	throw new Error(`The server exited early:\n${logs()}`);
}

/**
 * Runs the built app (`npm run build` first; `npm test` does) on a free port with a fresh
 * temporary database, the way production runs it, and answers once it is ready.
 * `entry: 'adapter-node'` runs adapter-node's own entry (`node build`) instead of
 * scripts/start.js: the app without the review lane in front of it.
 */
export async function startServer(
	env: Record<string, string> = {},
	options: { entry?: 'adapter-node' } = {}
): Promise<TestServer> {
	if (!existsSync(entry))
		throw new Error('No build found: run `npm run build` before these tests.');
	const dir = mkdtempSync(join(tmpdir(), 'trait-review-test-'));
	const dbPath = join(dir, 'test.db');
	const db = openDatabase(dbPath);
	let output = '';
	// Through the production start script, so its defaults are what the tests exercise.
	// Without ORIGIN, adapter-node's entry takes each request's origin from its Host header and,
	// unless PROTOCOL_HEADER names one, https: requests to it say `x-forwarded-proto: http`.
	// start.js sets ORIGIN, and lifts the body limit that hooks.server.ts enforces itself.
	const script = options.entry === 'adapter-node' ? entry : start;
	const proto = options.entry === 'adapter-node' ? { PROTOCOL_HEADER: 'x-forwarded-proto' } : {};
	const child = spawn(process.execPath, [script], {
		cwd: dir,
		env: {
			...process.env,
			DATABASE_PATH: dbPath,
			HOST: '127.0.0.1',
			PORT: '0',
			BODY_SIZE_LIMIT: 'Infinity',
			...proto,
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (d) => (output += d));
	child.stderr?.on('data', (d) => (output += d));
	const logs = () => output;
	const stop = async () => {
		if (child.exitCode === null) {
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			await exited;
		}
		db.$client.close();
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		return { url: await listeningUrl(child, logs), db, dbPath, logs, stop };
	} catch (e) {
		await stop();
		throw e;
	}
}
