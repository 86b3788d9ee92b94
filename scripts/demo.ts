// `npm run demo`: build if the sources changed, rebuild ./data/demo.db, serve it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/lib/server/db';
import { DEMO_ACCOUNTS, seedDemo } from '../src/lib/server/demo';

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

if (buildIsStale()) {
	console.log('Building the app…');
	const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	if (build.status !== 0) process.exit(build.status ?? 1);
}

const dbPath = resolve(root, process.env.DEMO_DATABASE_PATH ?? 'data/demo.db');
for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
const db = openDatabase(dbPath);
await seedDemo(db);
db.$client.close();

const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '3000';
const origin = process.env.ORIGIN ?? `http://${host}:${port}`;

console.log(`\nDemo database: ${dbPath}\n\nSign in with one of these accounts:`);
console.table(DEMO_ACCOUNTS.map(({ username, password, role }) => ({ username, password, role })));
console.log(`\nTrait Review demo on ${origin}  (Ctrl+C to stop)\n`);

const server = spawn(process.execPath, [join(root, 'scripts', 'start.js')], {
	cwd: root,
	stdio: 'inherit',
	env: { ...process.env, DATABASE_PATH: dbPath, HOST: host, PORT: port, ORIGIN: origin }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
