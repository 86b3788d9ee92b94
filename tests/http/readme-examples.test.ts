// Every command in the README's ```sh blocks, run exactly as written through `bash -c`, in
// order, against a built server with the demo's data: a README example that stops working
// fails here. The commands run in a working folder laid out like the repository (its
// package.json, scripts, src… linked), as a reader runs them from a checkout.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockBatch } from '../../src/lib/server/batches';
import { batches, exports, users } from '../../src/lib/server/db/schema';
import { DEMO_MODEL_SPEC_BATCH, seedDemo } from '../../src/lib/server/demo';
import { resolveBatchNames } from '../../src/lib/server/exports';
import { findUserForLogin } from '../../src/lib/server/users';
import { fixturePath } from '../support/fixtures';
import { startServer, type TestServer } from '../support/server';
import { makeTempDir } from '../support/temp';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Commands not run, each with why. Everything else in a ```sh block runs. */
const NOT_RUN: Record<string, string> = {
	'npm ci && npm run demo    # builds, creates ./data/demo.db with demo accounts, serves http://127.0.0.1:3000':
		'installs packages, then serves until stopped',
	"npm ci && npm test        # unit, HTTP and browser tests (browser tests need Debian's `chromium`)":
		'runs this very test suite'
};

/** Commands that ask a person for input, and what the person types. */
const TYPED: Record<string, string> = {
	'npm run admin -- create-user --username alice --role admin     # prompts for the password':
		'alice’s long password\n',
	'npm run admin -- reset-password --username alice': 'alice’s new long password\n'
};

/** The commands of the README's ```sh blocks, continuation lines kept, comment lines dropped. */
function readmeCommands(): string[] {
	const readme = readFileSync(join(root, 'README.md'), 'utf8');
	const commands: string[] = [];
	for (const [, block] of readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
		let pending: string[] = [];
		for (const line of block.split('\n')) {
			if (!pending.length && (!line.trim() || line.trim().startsWith('#'))) continue;
			pending.push(line);
			if (line.endsWith('\\')) continue;
			commands.push(pending.join('\n'));
			pending = [];
		}
	}
	return commands;
}

const COMMANDS = readmeCommands();
const RUN = COMMANDS.filter((c) => !(c in NOT_RUN));

type Ran = { code: number | null; stdout: string; stderr: string };

function runShell(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
	return new Promise((resolve, reject) => {
		const child = spawn('bash', ['-c', command], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
		child.stdin.end(TYPED[command] ?? '');
	});
}

let server: TestServer;
let workdir: string;
let token = '';

/** What a reader's shell holds: no npm variables from the test runner, and the README's own. */
function readerEnv(): NodeJS.ProcessEnv {
	const env = Object.fromEntries(
		Object.entries(process.env).filter(([name]) => !/^npm_|^INIT_CWD$/i.test(name))
	);
	// The batch the README's curl import makes, once it exists: its reviews import names it.
	const round = server.db.select().from(batches).where(eq(batches.name, 'Round 1')).get();
	return {
		...env,
		DATABASE_PATH: server.dbPath,
		URL: server.url,
		TOKEN: token,
		BATCH_ID: String(round?.id ?? '')
	};
}

beforeAll(async () => {
	server = await startServer();
	// The demo's data, with its batch locked as a lead would before exporting.
	await seedDemo(server.db);
	const [batchId] = resolveBatchNames(server.db, [DEMO_MODEL_SPEC_BATCH]);
	const lead = findUserForLogin(server.db, 'lead')!;
	lockBatch(server.db, lead.id, batchId, true);

	workdir = makeTempDir('readme-examples-');
	for (const entry of [
		'package.json',
		'.npmrc',
		'node_modules',
		'scripts',
		'src',
		'migrations',
		'samples',
		'tsconfig.json',
		'.svelte-kit'
	]) {
		symlinkSync(join(root, entry), join(workdir, entry));
	}
	copyFileSync(fixturePath('native.jsonl'), join(workdir, 'batch.jsonl'));
	copyFileSync(fixturePath('native-reviews.jsonl'), join(workdir, 'reviews.jsonl'));
});
afterAll(() => server?.stop());

describe('the README', () => {
	it('has commands, each of them run here or named above with why not', () => {
		expect(RUN.length).toBeGreaterThan(5);
		for (const listed of [...Object.keys(NOT_RUN), ...Object.keys(TYPED)]) {
			expect(COMMANDS, `a stale entry: ${listed}`).toContain(listed);
		}
		for (const command of RUN) {
			expect(
				command,
				'only the CLI, the admin commands and curl, with environment settings before them'
			).toMatch(/^(echo '[^']*' \| )?([A-Z_]+=\S+ )*(npm run (cli|admin) -- |curl )/);
			// curl exits 0 on an error status unless told otherwise.
			if (command.startsWith('curl ')) expect(command).toContain('--fail-with-body');
		}
	});
});

describe.each(RUN.map((command) => ({ command })))('$command', ({ command }) => {
	it('runs and succeeds', { timeout: 120_000 }, async () => {
		const ran = await runShell(command, workdir, readerEnv());
		expect(ran.code, `${command}\n--- stdout\n${ran.stdout}\n--- stderr\n${ran.stderr}`).toBe(0);
		if (command.includes(' create-token ')) {
			// The token is the last line it prints; the later examples read it from $TOKEN.
			token = ran.stdout.trim().split('\n').at(-1)!;
			expect(token).toMatch(/^trt_\w+$/);
		}
	});
});

describe('after the examples', () => {
	it('the database and the working folder hold what they say they made', () => {
		expect(findUserForLogin(server.db, 'alice')?.role).toBe('admin');
		expect(findUserForLogin(server.db, 'bob')?.role).toBe('lead');
		const round = server.db.select().from(batches).where(eq(batches.name, 'Round 1')).get();
		expect(round?.overlap).toBe(3);
		expect(round?.status).toBe('open');
		// Three from the command line (TRL pairs, a dataset folder, KTO with content checks and
		// pairs that agree on every trait), one over the API.
		const made = server.db.select().from(exports).all();
		expect(made).toHaveLength(4);
		expect(made.find((e) => e.format === 'kto')?.settings).toMatchObject({
			checks: { placeholder: 'drop', empty: 'drop' },
			pairing: 'agree-all-traits'
		});
		expect(existsSync(join(workdir, 'spec-dataset', 'README.md')), 'spec-dataset/README.md').toBe(
			true
		);
		for (const file of ['pairs.jsonl', 'pairs.card.md']) {
			expect(existsSync(join(workdir, file)), file).toBe(true);
			expect(statSync(join(workdir, file)).size, file).toBeGreaterThan(0);
		}
		expect(server.db.select().from(users).all().length).toBeGreaterThan(5);
		// The file's one reviewer, as alice (command line) and as an external reviewer (API).
		const external = findUserForLogin(server.db, 'ext-other-lab-reviewer-1');
		expect(external?.external).toBe(true);
		const reviewed = server.db.$client
			.prepare(`SELECT sum(submitted_count) AS n FROM items WHERE batch_id = ?`)
			.get(round!.id) as { n: number };
		expect(reviewed.n).toBe(6);
	});
});
