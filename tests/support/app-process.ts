import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The built app as a child process on a database of the test's choosing, to kill and restart. */
export type AppProcess = {
	url: string;
	port: number;
	logs: () => string;
	/** Sends the signal (SIGKILL: a crash) and resolves once the process has exited. */
	kill: (signal?: NodeJS.Signals) => Promise<void>;
};

export function findFreePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.on('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

/**
 * Starts `npm start`'s script on `dbPath` (already migrated by the test, or not) and resolves
 * once it answers. Give the same port again to restart it where researchers' pages point.
 */
export async function launchApp(options: {
	dbPath: string;
	port?: number;
	env?: Record<string, string>;
}): Promise<AppProcess> {
	if (!existsSync(join(root, 'build', 'index.js'))) {
		throw new Error('No build found: run `npm run build` before these tests.');
	}
	const port = options.port ?? (await findFreePort());
	const url = `http://127.0.0.1:${port}`;
	let output = '';
	const child = spawn(process.execPath, [join(root, 'scripts', 'start.js')], {
		env: {
			...process.env,
			DATABASE_PATH: options.dbPath,
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: url,
			...options.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const logs = () => output;
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`The app exited at start:\n${logs()}`);
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`The app did not answer within 30 s:\n${logs()}`);
		}
		const up = await fetch(`${url}/api/health`).then(
			(res) => res.ok,
			() => false
		);
		if (up) break;
		await new Promise((r) => setTimeout(r, 50));
	}
	return {
		url,
		port,
		logs,
		kill: async (signal = 'SIGTERM') => {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			await exited;
		}
	};
}

/** Runs `npm run admin -- …` (without npm) and resolves with its exit code and output. */
export function runAdmin(
	args: string[],
	env: Record<string, string>
): Promise<{ code: number | null; output: string }> {
	return new Promise((resolve) => {
		const child = spawn(
			process.execPath,
			['--import', 'tsx', join(root, 'scripts', 'admin.ts'), ...args],
			{
				cwd: root,
				env: { ...process.env, ...env },
				stdio: ['ignore', 'pipe', 'pipe']
			}
		);
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		child.once('exit', (code) => resolve({ code, output }));
	});
}
