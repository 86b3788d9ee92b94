import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	appendFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../tests/support/temp';
import { openDatabase } from '../src/lib/server/db';
import { eq } from 'drizzle-orm';
import { authenticateApiToken } from '../src/lib/server/api-tokens';
import { lockBatch } from '../src/lib/server/batches';
import { auditEvents, exports } from '../src/lib/server/db/schema';
import { markGold } from '../src/lib/server/gold';
import { findUserForLogin } from '../src/lib/server/users';
import { makeUser } from '../tests/support/factories';
import { buildChecksBatch } from '../tests/support/checks-fixture';
import { buildExportBatch } from '../tests/support/export-fixture';
import { fixturePath } from '../tests/support/fixtures';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

async function cli(script: string, args: string[], env: Record<string, string>, input?: string) {
	const child = run(process.execPath, ['--import', 'tsx', join(root, 'scripts', script), ...args], {
		cwd: root,
		env: { ...process.env, ...env }
	});
	if (input !== undefined) {
		child.child.stdin?.end(input);
	}
	try {
		const { stdout, stderr } = await child;
		return { code: 0, stdout, stderr };
	} catch (e) {
		const err = e as { code: number; stdout: string; stderr: string };
		return { code: err.code, stdout: err.stdout, stderr: err.stderr };
	}
}

function tempDb() {
	return join(makeTempDir('cli-test-'), 'cli.db');
}

describe('npm run cli -- import', () => {
	it('imports a file and says what it made', async () => {
		const DATABASE_PATH = tempDb();
		const result = await cli(
			'cli.ts',
			['import', fixturePath('native.jsonl'), '--batch', 'From the CLI'],
			{
				DATABASE_PATH
			}
		);
		expect(result.stdout).toContain('Imported 3 items with 7 responses into batch "From the CLI"');
		expect(result.code).toBe(0);
		const db = openDatabase(DATABASE_PATH);
		expect(db.get<{ n: number }>(sql`select count(*) as n from items`)?.n).toBe(3);
		db.$client.close();
	}, 60_000);

	it('leaves the batch a draft and says so, or opens it with --open', async () => {
		const DATABASE_PATH = tempDb();
		const draft = await cli('cli.ts', ['import', fixturePath('native.jsonl')], { DATABASE_PATH });
		expect(draft.stdout).toContain('The batch is a draft: it takes no reviews until it is opened');
		const opened = await cli('cli.ts', ['import', fixturePath('trl-standard.jsonl'), '--open'], {
			DATABASE_PATH
		});
		expect(opened.stdout).toContain('The batch is open for review.');
		expect(opened.code).toBe(0);
		const db = openDatabase(DATABASE_PATH);
		const statuses = db.all<{ status: string }>(sql`select status from batches order by id`);
		expect(statuses).toEqual([{ status: 'draft' }, { status: 'open' }]);
		db.$client.close();
	}, 60_000);

	it.each([
		['trl', 'trl-standard.jsonl', 'Imported 2 items with 4 responses'],
		['oct', 'oct-small.json', 'Imported 2 traits and 3 prompts'],
		['model-spec', 'model-spec-small.md', 'Imported 2 items with 5 responses']
	])(
		'imports the %s format',
		async (format, file, expected) => {
			const result = await cli('cli.ts', ['import', fixturePath(file), '--format', format], {
				DATABASE_PATH: tempDb()
			});
			expect(result.stdout).toContain(expected);
			expect(result.code).toBe(0);
		},
		60_000
	);

	it('lists line-numbered problems for a bad file, exits 1 and writes nothing', async () => {
		const DATABASE_PATH = tempDb();
		const result = await cli('cli.ts', ['import', fixturePath('native-bad.jsonl')], {
			DATABASE_PATH
		});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('line 5, responses[1].content');
		const db = openDatabase(DATABASE_PATH);
		expect(db.get<{ n: number }>(sql`select count(*) as n from batches`)?.n).toBe(0);
		db.$client.close();
	}, 60_000);
});

describe('npm run cli -- import, with files that once crashed it (issue 11)', () => {
	const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
	const item = (extra: string) =>
		`{"trait":"warmth","prompt":"p","responses":[{"content":"a"},{"content":"b"}]${extra}}\n`;

	it('answers with problems, never a stack trace, and takes numbers in digits only', async () => {
		const DATABASE_PATH = tempDb();
		const dir = mkdtempSync(join(tmpdir(), 'cli-trust-'));
		const deepFile = join(dir, 'deep.jsonl');
		writeFileSync(deepFile, item(`,"metadata":${deep}`));
		const nested = await cli('cli.ts', ['import', deepFile], { DATABASE_PATH });
		expect(nested.code).toBe(1);
		expect(nested.stderr).toContain('line 1, metadata: metadata nests deeper than 32 levels');

		const hex = await cli('cli.ts', ['import', fixturePath('native.jsonl'), '--overlap', '0x10'], {
			DATABASE_PATH
		});
		expect(hex.code).toBe(2);
		expect(hex.stderr).toContain('--overlap must be a whole number');

		const latin1 = join(dir, 'latin1.jsonl');
		writeFileSync(
			latin1,
			Buffer.concat([
				Buffer.from('{"trait":"warmth","prompt":"caf'),
				Buffer.from([0xe9]),
				Buffer.from('","responses":[{"content":"a"},{"content":"b"}]}\n')
			])
		);
		const refused = await cli('cli.ts', ['import', latin1], { DATABASE_PATH });
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('line 1: The line is not valid UTF-8');
		const replaced = await cli('cli.ts', ['import', latin1, '--replace-invalid-utf8'], {
			DATABASE_PATH
		});
		expect(replaced.code).toBe(0);
	}, 60_000);
});

describe('npm run admin -- create-user', () => {
	it('reads the password from stdin and refuses a weak one', async () => {
		const DATABASE_PATH = tempDb();
		const ok = await cli(
			'admin.ts',
			['create-user', '--username', 'Root', '--role', 'admin'],
			{ DATABASE_PATH },
			'a long password\n'
		);
		expect(ok.stdout).toContain('Created admin "root"');
		const weak = await cli(
			'admin.ts',
			['create-user', '--username', 'bob', '--role', 'lead'],
			{ DATABASE_PATH },
			'short\n'
		);
		expect(weak.code).toBe(1);
		expect(weak.stderr).toContain('at least 10 characters');
		const db = openDatabase(DATABASE_PATH);
		expect(findUserForLogin(db, 'root')?.role).toBe('admin');
		expect(findUserForLogin(db, 'bob')).toBeUndefined();
		db.$client.close();
	}, 60_000);
});

describe('npm run admin -- create-token', () => {
	it('prints a token once that acts as a lead, audits it, and refuses researchers', async () => {
		const DATABASE_PATH = tempDb();
		const db = openDatabase(DATABASE_PATH);
		await makeUser(db, { username: 'lena', role: 'lead' });
		await makeUser(db, { username: 'rob', role: 'researcher' });
		const made = await cli(
			'admin.ts',
			['create-token', '--username', 'Lena', '--name', 'nightly import'],
			{ DATABASE_PATH }
		);
		expect(made.code).toBe(0);
		const token = made.stdout.trim();
		expect(token).toMatch(/^trt_[a-z2-7]{40,}$/);
		expect(made.stderr).toContain('acting as lead "lena"');
		expect(authenticateApiToken(db, token)?.username).toBe('lena');
		const audit = db
			.select()
			.from(auditEvents)
			.where(eq(auditEvents.action, 'api_token.create'))
			.all();
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actorId: null, newValue: { name: 'nightly import' } });
		expect(JSON.stringify(audit)).not.toContain(token);

		const refused = await cli('admin.ts', ['create-token', '--username', 'rob', '--name', 'x'], {
			DATABASE_PATH
		});
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('Only leads and admins');
		const unnamed = await cli('admin.ts', ['create-token', '--username', 'lena'], {
			DATABASE_PATH
		});
		expect(unnamed.code).toBe(2);
		expect(unnamed.stderr).toContain('--name');
		db.$client.close();
	}, 60_000);
});

describe('npm run cli -- export', () => {
	it('exports a locked batch with a progress bar, a record and a dataset card', async () => {
		const DATABASE_PATH = tempDb();
		const db = openDatabase(DATABASE_PATH);
		const fixture = await buildExportBatch(db, { lock: true });
		const open = await buildExportBatch(db);
		db.$client.close();
		const out = join(makeTempDir('cli-export-'), 'pairs.jsonl');
		const args = ['export', '--batch', fixture.name, '--format', 'trl', '--out', out];
		const result = await cli('cli.ts', [...args, '--strategy', 'all-pairs', '--margin'], {
			DATABASE_PATH
		});
		expect(result.stderr).toContain('exporting');
		expect(result.stdout).toContain(`lines from 4 items written to ${out}`);
		expect(result.stdout).toContain('1 items left out: flagged by a reviewer.');
		expect(result.code).toBe(0);
		const text = readFileSync(out, 'utf8');
		const lines = text
			.trimEnd()
			.split('\n')
			.map((l) => JSON.parse(l));
		expect(lines).toHaveLength(6);
		expect(Object.keys(lines[0])).toEqual(['prompt', 'chosen', 'rejected', 'margin', 'metadata']);
		const sha = createHash('sha256').update(text).digest('hex');
		expect(result.stdout).toContain(`SHA-256 ${sha}`);
		expect(readFileSync(out.replace('.jsonl', '.card.md'), 'utf8')).toContain(sha);

		const refused = await cli(
			'cli.ts',
			['export', '--batch', open.name, '--format', 'kto', '--out', out],
			{ DATABASE_PATH }
		);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('is not locked');
		expect(refused.stderr).toContain('--include-unlocked');
		expect(readFileSync(out, 'utf8')).toBe(text);
	}, 60_000);
});

describe('npm run cli -- export, for other trainers', () => {
	it('writes a dataset folder, and adds LLaMA-Factory entries to dataset_info.json', async () => {
		const DATABASE_PATH = tempDb();
		const db = openDatabase(DATABASE_PATH);
		const fixture = await buildExportBatch(db, { lock: true });
		db.$client.close();
		const where = makeTempDir('cli-export-');
		const folder = join(where, 'dataset');
		const base = ['export', '--batch', fixture.name, '--format', 'llama-factory-alpaca'];
		const hub = await cli(
			'cli.ts',
			[...base, '--out', folder, '--output', 'hf-dataset', '--test-share', '0.5', '--seed', '3'],
			{ DATABASE_PATH }
		);
		expect(hub.stdout).toContain(`written to the folder ${folder}.`);
		expect(hub.code).toBe(0);
		expect(readFileSync(join(folder, 'README.md'), 'utf8')).toMatch(/^---\nlicense: "other"\n/);
		expect(existsSync(join(folder, 'data', 'warmth'))).toBe(true);
		expect(existsSync(join(folder, 'dataset_info.json'))).toBe(true);

		writeFileSync(join(where, 'dataset_info.json'), JSON.stringify({ mine: { file_name: 'x' } }));
		const out = join(where, 'pairs.jsonl');
		const file = await cli('cli.ts', [...base, '--out', out, '--no-metadata'], { DATABASE_PATH });
		expect(file.code).toBe(0);
		expect(file.stdout).toContain('LLaMA-Factory entry: "pairs"');
		const info = JSON.parse(readFileSync(join(where, 'dataset_info.json'), 'utf8'));
		expect(Object.keys(info)).toEqual(['mine', 'pairs']);
		expect(info.pairs).toMatchObject({
			file_name: 'pairs.jsonl',
			ranking: true,
			formatting: 'alpaca'
		});
		expect(JSON.parse(readFileSync(out, 'utf8').split('\n')[0])).not.toHaveProperty('metadata');
	}, 60_000);
});

describe('npm run cli -- verify-export', () => {
	it('clears leftovers before exporting, then says OK or what differs', async () => {
		const DATABASE_PATH = tempDb();
		const db = openDatabase(DATABASE_PATH);
		const fixture = await buildExportBatch(db, { lock: true });
		db.$client.close();
		const folder = join(dirname(DATABASE_PATH), 'exports');
		mkdirSync(folder);
		const leftover = join(folder, '.writing-999999999-0123456789abcdef');
		writeFileSync(leftover, 'half a line');
		const out = join(mkdtempSync(join(tmpdir(), 'cli-verify-')), 'pairs.jsonl');
		const exported = await cli(
			'cli.ts',
			['export', '--batch', fixture.name, '--format', 'trl', '--out', out],
			{ DATABASE_PATH }
		);
		expect(exported.code).toBe(0);
		expect(existsSync(leftover)).toBe(false);
		const id = /^Export (\d+):/m.exec(exported.stdout)![1];

		const ok = await cli('cli.ts', ['verify-export', id], { DATABASE_PATH });
		expect(ok.stdout).toMatch(/^OK: export \d+'s file .+ is as recorded\.$/m);
		expect(ok.code).toBe(0);

		const [stored] = readdirSync(folder);
		appendFileSync(join(folder, stored), '{}\n');
		const bad = await cli('cli.ts', ['verify-export', id], { DATABASE_PATH });
		expect(bad.code).toBe(1);
		expect(bad.stderr).toContain('differs from its record');
		expect(bad.stderr).toMatch(/The file has [\d,]+ bytes; the record says/);

		const missing = await cli('cli.ts', ['verify-export', '99'], { DATABASE_PATH });
		expect(missing.stderr).toContain('There is no export 99.');
		expect(missing.code).toBe(2);
	}, 60_000);
});

describe('npm run cli -- export, with content checks, pairing, gold and rationale', () => {
	it('takes the options the API takes, and prints what the checks and conflicts left out', async () => {
		const DATABASE_PATH = tempDb();
		const db = openDatabase(DATABASE_PATH);
		const fixture = await buildChecksBatch(db);
		const out = join(makeTempDir('cli-checks-'), 'pairs.jsonl');
		const result = await cli(
			'cli.ts',
			[
				...['export', '--batch', fixture.name, '--format', 'trl', '--out', out],
				...['--check', 'empty=keep', '--check', 'placeholder=drop'],
				...['--pairing', 'agree-all-traits', '--rationale']
			],
			{ DATABASE_PATH }
		);
		expect(result.code).toBe(0);
		// The card's two sections, headings and lines as the card has them, without table rules.
		for (const line of [
			'3 lines from 3 items written to',
			'  2 items left out: every pair dropped by a content check.',
			'  2 items left out: every pair ordered the other way on another trait.',
			'Content checks:\n  5 pairs checked as this format writes them; 2 left out',
			'  | Placeholder text in a response ([...], TODO, lorem ipsum…) | 1 | drop | 1 | k1 |',
			'  | Empty response (whitespace only) | 1 | keep | 0 | k2 |',
			'Conflicts between traits:\n  - Pairing: Only pairs whose order agrees on every trait',
			'  - Pairs left out for a conflict: 2',
			'too few to judge'
		])
			expect(result.stdout).toContain(line);
		expect(result.stdout).not.toContain('| --- |');
		const lines = readFileSync(out, 'utf8')
			.trimEnd()
			.split('\n')
			.map((l) => JSON.parse(l).metadata);
		expect(lines.map((m) => m.item_id)).toEqual(['k2', 'k4', 'k7']);
		expect(lines.every((m) => Array.isArray(m.chosen_evidence))).toBe(true);
		const [record] = db.select().from(exports).all();
		expect(record.settings).toMatchObject({
			checks: { empty: 'keep', placeholder: 'drop', identical: 'drop', promptEnd: 'keep' },
			pairing: 'agree-all-traits',
			rationale: true,
			includeGold: false
		});
		db.$client.close();
	}, 60_000);

	it('refuses bad check names, actions and pairings with exit code 2, exporting nothing', async () => {
		const DATABASE_PATH = tempDb();
		const db = openDatabase(DATABASE_PATH);
		const fixture = await buildChecksBatch(db);
		const out = join(makeTempDir('cli-checks-'), 'pairs.jsonl');
		const base = ['export', '--batch', fixture.name, '--format', 'trl', '--out', out];
		const refusals: [string[], string][] = [
			[
				['--check', 'emtpy=drop'],
				'--check: there is no check "emtpy"; the checks are promptEnd, roles, placeholder, empty, identical.'
			],
			[['--check', 'empty=maybe'], 'checks.empty: Choose drop or keep for the empty check.'],
			[['--check', 'empty'], '--check takes NAME=drop or NAME=keep (such as empty=keep)'],
			[['--pairing', 'sometimes'], 'pairing: Choose per-trait or agree-all-traits pairing.']
		];
		for (const [flags, message] of refusals) {
			const refused = await cli('cli.ts', [...base, ...flags], { DATABASE_PATH });
			expect(refused.stderr, flags.join(' ')).toContain(message);
			expect(refused.code, flags.join(' ')).toBe(2);
		}
		expect(existsSync(out)).toBe(false);
		expect(db.select().from(exports).all()).toHaveLength(0);
		db.$client.close();
	}, 60_000);

	it('leaves gold items out of pairs unless --include-gold puts them in', async () => {
		const DATABASE_PATH = tempDb();
		const db = openDatabase(DATABASE_PATH);
		const fixture = await buildExportBatch(db);
		const ranks = ['a', 'b', 'c'].map((key) => [fixture.responseIds[key]]);
		markGold(db, fixture.lead.id, fixture.batchId, fixture.itemIds.e1, ranks);
		lockBatch(db, fixture.lead.id, fixture.batchId, true);
		db.$client.close();
		const out = join(makeTempDir('cli-gold-'), 'pairs.jsonl');
		const args = ['export', '--batch', fixture.name, '--format', 'trl', '--out', out];
		const gold = () =>
			readFileSync(out, 'utf8')
				.trimEnd()
				.split('\n')
				.filter((l) => JSON.parse(l).metadata.gold === true);

		const without = await cli('cli.ts', args, { DATABASE_PATH });
		expect(without.code).toBe(0);
		expect(without.stdout).toContain('1 items left out: gold item');
		expect(gold()).toHaveLength(0);
		const withGold = await cli('cli.ts', [...args, '--include-gold'], { DATABASE_PATH });
		expect(withGold.code).toBe(0);
		expect(withGold.stdout).not.toContain('gold item');
		expect(gold().length).toBeGreaterThan(0);
	}, 60_000);
});
