/**
 * `npm run demo` as a person runs it: the accounts and the address come last, and stopping npm
 * stops everything it started, the server included (it once kept port 3000 after a SIGTERM).
 * Runs on a database and a port of its own; the build is already there (npm test builds first).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/lib/server/demo';
import { makeTempDir } from '../support/temp';
import { waitFor } from '../support/wait';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Parent of every live process, from /proc (a zombie counts as gone: it holds nothing). */
function liveProcesses(): Map<number, number> {
	const parents = new Map<number, number>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			// "pid (command) state ppid …": the command may hold spaces and parentheses.
			const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (state !== 'Z') parents.set(Number(name), Number(ppid));
		} catch {
			// Gone between the listing and the read.
		}
	}
	return parents;
}

function descendantsOf(pid: number): number[] {
	const parents = liveProcesses();
	const found: number[] = [];
	for (let queue = [pid]; queue.length;) {
		const parent = queue.shift()!;
		for (const [child, ppid] of parents) {
			if (ppid === parent) {
				found.push(child);
				queue.push(child);
			}
		}
	}
	return found;
}

function portAnswers(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ port, host: '127.0.0.1' });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

describe('npm run demo', () => {
	// SIGTERM to npm alone, as `kill` or a process manager sends it; SIGINT to npm's whole process
	// group, as Ctrl+C in a terminal sends it.
	it.each([
		['SIGTERM', 'npm'],
		['SIGINT', 'its process group']
	] as const)(
		'prints the accounts and the address last, and stops its server on %s to %s',
		async (signal, target) => {
			const { ORIGIN: _origin, ...env } = process.env;
			const npm = spawn('npm', ['run', 'demo'], {
				cwd: root,
				env: {
					...env,
					DEMO_DATABASE_PATH: join(makeTempDir('demo-test-'), 'demo.db'),
					HOST: '127.0.0.1',
					PORT: '0'
				},
				stdio: ['ignore', 'pipe', 'pipe'],
				// Its own process group, as a terminal gives a command, so that the group can be signalled.
				detached: true
			});
			let output = '';
			npm.stdout.on('data', (chunk) => (output += chunk));
			npm.stderr.on('data', (chunk) => (output += chunk));
			const exited = new Promise((resolve) => npm.once('exit', resolve));
			let started: number[] = [];
			try {
				const url = await waitFor(
					() => npm.exitCode !== null || output.match(/Trait Review demo on (http:\/\/\S+)/)?.[1],
					() => `the demo's address:\n${output}`,
					{ timeoutMs: 120_000, everyMs: 100 }
				);
				expect(typeof url, output).toBe('string');
				const port = Number(new URL(String(url)).port);
				expect(await portAnswers(port)).toBe(true);

				const lines = output.trimEnd().split('\n');
				expect(lines.at(-1)).toMatch(
					/^Trait Review demo on http:\/\/127\.0\.0\.1:\d+ {2}\(Ctrl\+C/
				);
				const signIn = lines.indexOf('Sign in with one of these accounts:');
				expect(signIn).toBeGreaterThan(lines.findIndex((l) => l.startsWith('Listening on')));
				const table = lines.slice(signIn).join('\n');
				for (const account of DEMO_ACCOUNTS) {
					expect(table).toMatch(new RegExp(`${account.username}.*${account.password}`));
				}

				started = descendantsOf(npm.pid!);
				// npm, then tsx (or the shell), the demo, and its server.
				expect(started.length, JSON.stringify(started)).toBeGreaterThanOrEqual(2);
				process.kill(target === 'npm' ? npm.pid! : -npm.pid!, signal);

				await waitFor(
					async () => !(await portAnswers(port)),
					() => `port ${port} to close:\n${output}`,
					{ timeoutMs: 30_000, everyMs: 100 }
				);
				await waitFor(
					() => {
						const live = liveProcesses();
						return started.every((pid) => !live.has(pid));
					},
					() => `the demo's processes to end: ${started.filter((pid) => liveProcesses().has(pid))}`,
					{ timeoutMs: 30_000, everyMs: 100 }
				);
				await exited;
			} finally {
				// Only on failure: whatever the demo left running, so that it does not outlive the test.
				const live = liveProcesses();
				for (const pid of [npm.pid!, ...started].filter((pid) => live.has(pid))) {
					process.kill(pid, 'SIGKILL');
				}
			}
		},
		180_000
	);
});
