// `npm start` (scripts/start.js) serves through its own node:http server, in front of
// adapter-node's handler: these are the settings and the shutdown that adapter-node's entry
// would otherwise give, tried on the running process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Agent, get, request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { launchApp, type AppProcess } from '../support/app-process';
import { makeTempDir } from '../support/temp';
import { waitFor } from '../support/wait';

const start = fileURLToPath(new URL('../../scripts/start.js', import.meta.url));
const running: AppProcess[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
	for (const app of running.splice(0)) await app.kill('SIGKILL');
	for (const child of children.splice(0)) {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	}
});

async function launch(env: Record<string, string> = {}): Promise<AppProcess> {
	const app = await launchApp({ dbPath: join(makeTempDir(), 'app.db'), env });
	running.push(app);
	return app;
}

/** Resolves once the process has exited, failing if that takes longer than the deadline. */
async function stopsWithin(app: AppProcess, signal: NodeJS.Signals, what: string) {
	let gone = false;
	void app.kill(signal).then(() => (gone = true));
	await waitFor(
		() => gone,
		() => `${what}:\n${app.logs()}`,
		{ timeoutMs: 30_000, everyMs: 50 }
	);
}

function read(res: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		let body = '';
		res.setEncoding('utf8');
		res.on('data', (chunk) => (body += chunk));
		res.on('end', () => resolve(body));
		res.on('error', reject);
	});
}

describe('npm start', () => {
	it('stops on SIGTERM while researchers keep their connections busy, answering what it took', async () => {
		const app = await launch();
		// Four kept-alive connections that are never idle for long, as pages polling and saving.
		const agent = new Agent({ keepAlive: true, maxSockets: 4 });
		let answered = 0;
		let stop = false;
		const client = async () => {
			while (!stop) {
				const outcome = await new Promise<{ status: number; body: string } | 'refused'>(
					(resolve, reject) => {
						const req = get(`${app.url}/api/health`, { agent }, (res) =>
							read(res).then(
								(body) => resolve({ status: res.statusCode ?? 0, body }),
								() => resolve('refused')
							)
						);
						// A request that arrives as the server closes its connection is turned away, as a
						// stopped server would.
						req.on('error', (e: NodeJS.ErrnoException) =>
							['ECONNRESET', 'ECONNREFUSED', 'EPIPE'].includes(e.code ?? '')
								? resolve('refused')
								: reject(e)
						);
					}
				);
				if (outcome === 'refused') {
					await new Promise((r) => setTimeout(r, 10));
					continue;
				}
				// A request the server took is answered in full.
				expect(outcome).toEqual({ status: 200, body: '{"ok":true}' });
				answered += 1;
			}
		};
		const clients = Array.from({ length: 4 }, client);
		await waitFor(() => answered >= 40, 'the first answers');
		try {
			await stopsWithin(app, 'SIGTERM', 'the server to stop under load');
		} finally {
			stop = true;
			await Promise.all(clients);
			agent.destroy();
		}
		expect(answered).toBeGreaterThanOrEqual(40);
	});

	it('cuts off a request still under way once SHUTDOWN_TIMEOUT has passed', async () => {
		const app = await launch({ SHUTDOWN_TIMEOUT: '1' });
		// A login form whose body never arrives: the server waits for it, and has said so.
		const socket = connect(app.port, '127.0.0.1');
		let received = '';
		let closed = false;
		socket.setEncoding('utf8');
		socket.on('data', (d) => (received += d));
		socket.on('error', () => {});
		socket.on('close', () => (closed = true));
		socket.write(
			[
				'POST /login HTTP/1.1',
				`Host: 127.0.0.1:${app.port}`,
				`Origin: ${app.url}`,
				'Content-Type: application/x-www-form-urlencoded',
				'Content-Length: 1000',
				'Expect: 100-continue',
				'',
				''
			].join('\r\n')
		);
		await waitFor(() => received.includes('100 Continue'), 'the server to take the request');
		socket.write('username=ada&password=');
		await stopsWithin(app, 'SIGTERM', 'the server to give up on the request and stop');
		await waitFor(() => closed, 'the connection to be closed');
		expect(received).not.toMatch(/HTTP\/1\.1 [2-5]\d\d/);
	});

	it('tells clients the KEEP_ALIVE_TIMEOUT it keeps idle connections open for', async () => {
		const app = await launch({ KEEP_ALIVE_TIMEOUT: '7' });
		const agent = new Agent({ keepAlive: true });
		try {
			const res = await new Promise<IncomingMessage>((resolve, reject) =>
				get(`${app.url}/api/health`, { agent }, resolve).on('error', reject)
			);
			await read(res);
			expect(res.headers['keep-alive']).toBe('timeout=7');
		} finally {
			agent.destroy();
		}
	});

	it.each([
		['SHUTDOWN_TIMEOUT', 'soon'],
		['KEEP_ALIVE_TIMEOUT', '-1'],
		['HEADERS_TIMEOUT', '10s']
	])('refuses to start with %s=%s, saying why', (name, value) => {
		const dir = makeTempDir();
		const run = spawnSync(process.execPath, [start], {
			env: { ...process.env, DATABASE_PATH: join(dir, 'app.db'), PORT: '0', [name]: value },
			encoding: 'utf8',
			timeout: 30_000
		});
		expect(run.status).toBe(1);
		expect(run.stderr).toContain(
			`${name} must be a number of seconds, 0 or more (it is "${value}")`
		);
	});

	describe('on a Unix socket (SOCKET_PATH)', () => {
		function startOnSocket(dir: string, env: Record<string, string>) {
			let output = '';
			const child = spawn(process.execPath, [start], {
				env: { ...process.env, DATABASE_PATH: join(dir, 'app.db'), ...env },
				stdio: ['ignore', 'pipe', 'pipe']
			});
			children.push(child);
			child.stdout.on('data', (d) => (output += d));
			child.stderr.on('data', (d) => (output += d));
			return { child, logs: () => output };
		}

		function health(socketPath: string) {
			return new Promise<{ status: number; body: string }>((resolve, reject) =>
				request({ socketPath, path: '/api/health' }, (res) =>
					read(res).then((body) => resolve({ status: res.statusCode ?? 0, body }), reject)
				)
					.on('error', reject)
					.end()
			);
		}

		it('serves there, and again after a crash left the socket file behind', async () => {
			const dir = makeTempDir();
			const socketPath = join(dir, 'app.sock');
			const env = { SOCKET_PATH: socketPath, ORIGIN: 'https://review.example.org' };
			for (const round of ['first', 'after a kill -9']) {
				const { child, logs } = startOnSocket(dir, env);
				await waitFor(
					() => logs().includes(`Listening on ${socketPath}`) || child.exitCode !== null,
					() => `the server to listen (${round}):\n${logs()}`,
					{ timeoutMs: 30_000, everyMs: 50 }
				);
				expect(child.exitCode, logs()).toBeNull();
				const answer = await waitFor(
					() => health(socketPath).catch(() => undefined),
					`an answer on the socket (${round})`,
					{ timeoutMs: 30_000, everyMs: 50 }
				);
				expect(answer).toEqual({ status: 200, body: '{"ok":true}' });
				const exited = new Promise((r) => child.once('exit', r));
				child.kill('SIGKILL');
				await exited;
			}
		});

		it('refuses to start without ORIGIN, saying why', async () => {
			const dir = makeTempDir();
			const { child, logs } = startOnSocket(dir, { SOCKET_PATH: join(dir, 'app.sock') });
			const code = await new Promise((r) => child.once('exit', r));
			expect(code).toBe(1);
			expect(logs()).toContain('SOCKET_PATH needs ORIGIN');
		});
	});
});
