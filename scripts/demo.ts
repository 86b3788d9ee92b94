// `npm run demo`: build if the sources changed, rebuild ./data/demo.db, serve it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/lib/server/db';
import { DEMO_ACCOUNTS, seedDemo } from '../src/lib/server/demo';
import { runQuietly } from './run-quietly';

const root = fileURLToPath(new URL('..', import.meta.url));
const buildEntry = join(root, 'build', 'index.js');

function newestMtime(path: string): number {
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

function buildIsStale(): boolean {
	if (!existsSync(buildEntry)) return true;
	const built = statSync(buildEntry).mtimeMs;
	const inputs = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];
	return inputs.some((p) => existsSync(join(root, p)) && newestMtime(join(root, p)) > built);
}

/**
 * The child running now: the build, then the server. Stopping the demo stops it first, so that
 * no server is left holding the port.
 */
let child: ChildProcess | undefined;
const running = (c: ChildProcess | undefined): c is ChildProcess =>
	c !== undefined && c.exitCode === null && c.signalCode === null;
function stop(signal: NodeJS.Signals) {
	if (running(child)) child.kill(signal);
	else process.exit(1);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(signal));
// However the demo ends (an error included), it does not leave its child behind.
process.on('exit', () => {
	if (running(child)) child.kill('SIGTERM');
});
// `npm run demo` runs this through `sh -c`, and a signal to npm reaches that shell, which dies
// without passing it on: the demo learns of it only as its parent changing.
const parent = process.ppid;
setInterval(() => {
	if (process.ppid !== parent) stop('SIGTERM');
}, 250).unref();

if (buildIsStale()) {
	console.log('Building the app (a minute or two)…');
	const quiet = runQuietly('npm', ['run', 'build'], { cwd: root });
	child = quiet.child;
	const build = await quiet.done;
	if (build.code !== 0) {
		process.stderr.write(build.output);
		console.error(`\nThe build failed (exit code ${build.code}); its output is above.`);
		process.exit(build.code ?? 1);
	}
}

// Its own variable, not DATABASE_PATH: the demo deletes its database on every run.
const dbPath = resolve(root, process.env.DEMO_DATABASE_PATH ?? 'data/demo.db');
for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
const db = openDatabase(dbPath);
await seedDemo(db);
db.$client.close();

const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '3000';
// With PORT=0 the system picks the port, and the server names its own origin once it knows it.
const origin = process.env.ORIGIN ?? (port === '0' ? undefined : `http://${host}:${port}`);

// stdin is a pipe that only this process holds open: should it die without stopping the server
// (killed outright), the server sees the pipe close and stops too.
const server = spawn(process.execPath, [join(root, 'scripts', 'demo-server.js')], {
	cwd: root,
	stdio: ['pipe', 'pipe', 'inherit'],
	env: {
		...process.env,
		DATABASE_PATH: dbPath,
		HOST: host,
		PORT: port,
		...(origin && { ORIGIN: origin })
	}
});
child = server;
server.on('exit', (code) => process.exit(code ?? 0));

// The server's lines pass through; once it listens, the accounts and the address come last.
let listening = false;
createInterface({ input: server.stdout! }).on('line', (line) => {
	console.log(line);
	const url = line.match(/^Listening on (http:\/\/\S+)/)?.[1];
	if (listening || !url) return;
	listening = true;
	console.log(`\nDemo database: ${dbPath}\n\nSign in with one of these accounts:`);
	console.table(
		DEMO_ACCOUNTS.map(({ username, password, role }) => ({ username, password, role }))
	);
	console.log(`\nTrait Review demo on ${origin ?? url}  (Ctrl+C to stop)\n`);
});
