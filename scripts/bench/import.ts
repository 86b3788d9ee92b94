// Import benchmark: 100,000 items × 4 responses of about 500 characters, through the real
// import path, against bare prepared statements in one transaction; then the same file through
// the built server's API while researchers save drafts, timing their requests.
//   BENCH_ITEMS=1000000   a bigger file (~2.3 GB at a million items)
//   BENCH_IMPORT_DIR=/tmp where the file and the databases go (default bench-out/)
//   BENCH_PROBE=0         skip the run through the server
import Database from 'better-sqlite3';
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/lib/server/db';
import { formatCount, formatFixed, formatMegabytes, formatPercent } from '../../src/lib/format';
import { importFile, readLinesSync } from '../../src/lib/server/imports';
import { BENCH_DIR, phaseArg, reportPhase, runPhase, table, verdict } from './common';
import { describeLatencies, probeDuringImport, type ProbeResult } from './import-probe';
import { percentile } from './load';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const RESPONSES = 4;
const DIR = process.env.BENCH_IMPORT_DIR ?? BENCH_DIR;
mkdirSync(DIR, { recursive: true });
const file = join(DIR, `import-${ITEMS}.jsonl`);
/** The batch the probe's researchers review while the big file is imported. */
const reviewFile = join(DIR, 'import-review-2000.jsonl');
const self = fileURLToPath(import.meta.url);

const WORDS =
	'the a curious warm honest model answer reply question careful kind direct thoughtful clear brief gentle playful sharp patient'.split(
		' '
	);

function sentence(seed: number, length: number): string {
	let out = '';
	let x = seed;
	while (out.length < length) {
		x = (x * 1103515245 + 12345) & 0x7fffffff;
		out += WORDS[x % WORDS.length] + ' ';
	}
	return out.slice(0, length);
}

async function generate(file: string, items: number): Promise<void> {
	if (existsSync(file)) return;
	const out = createWriteStream(file);
	for (let i = 0; i < items; i++) {
		const line = JSON.stringify({
			id: `item-${i}`,
			trait: `trait-${i % 20}`,
			prompt: sentence(i, 120),
			responses: Array.from({ length: RESPONSES }, (_, r) => ({
				id: `r${r}`,
				model: `model-${r}`,
				content: sentence(i * 7 + r, 500),
				ai_score: (i + r) % 7
			}))
		});
		if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
	}
	await new Promise<void>((r) => out.end(() => r()));
}

/** The phase's processor time: steadier than the clock on a machine busy with other work. */
function cpuSeconds(): number {
	const { user, system } = process.cpuUsage();
	return (user + system) / 1e6;
}

function freshDb(name: string): string {
	const path = join(DIR, name);
	for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
	return path;
}

async function phaseReal() {
	const db = openDatabase(freshDb('import-real.db'));
	const start = performance.now();
	const result = await importFile(db, file, {
		actorId: null,
		batch: 'bench',
		limits: { maxFileBytes: Infinity }
	});
	const seconds = (performance.now() - start) / 1000;
	if (!result.ok) throw new Error(result.message + JSON.stringify(result.issues.slice(0, 3)));
	reportPhase({
		seconds,
		items: result.kind === 'batch' ? result.items : 0,
		cpuSeconds: cpuSeconds()
	});
}

function phaseBaseline() {
	// The same rows, with the least work that can store them: parse, insert, one transaction.
	const path = freshDb('import-baseline.db');
	openDatabase(path).$client.close();
	const client = new Database(path);
	client.pragma('journal_mode = WAL');
	client.pragma('synchronous = NORMAL');
	const start = performance.now();
	client.exec(`INSERT INTO constitutions (name) VALUES ('bench')`);
	client.exec(`INSERT INTO batches (constitution_id, name) VALUES (1, 'bench')`);
	const traitIds = new Map<string, [number, number]>();
	const insertTrait = client.prepare(`INSERT INTO traits (constitution_id, key) VALUES (1, ?)`);
	const insertVersion = client.prepare(
		`INSERT INTO trait_versions (trait_id, version, title) VALUES (?, 1, ?)`
	);
	const insertItem = client.prepare(
		`INSERT INTO items (batch_id, trait_id, trait_version_id, external_id, prompt, prompt_text, response_count, source_line) VALUES (1, ?, ?, ?, ?, ?, ?, ?)`
	);
	const insertResponse = client.prepare(
		`INSERT INTO responses (item_id, position, external_id, model, content, ai_score) VALUES (?, ?, ?, ?, ?, ?)`
	);
	let items = 0;
	client.transaction(() => {
		for (const entry of readLinesSync(file)) {
			if ('error' in entry) throw new Error(entry.error);
			const { line, text } = entry;
			const row = JSON.parse(text);
			let ids = traitIds.get(row.trait);
			if (!ids) {
				const traitId = Number(insertTrait.run(row.trait).lastInsertRowid);
				ids = [traitId, Number(insertVersion.run(traitId, row.trait).lastInsertRowid)];
				traitIds.set(row.trait, ids);
			}
			const prompt = JSON.stringify([{ role: 'user', content: row.prompt }]);
			const itemId = insertItem.run(
				ids[0],
				ids[1],
				row.id,
				prompt,
				row.prompt,
				row.responses.length,
				line
			).lastInsertRowid;
			row.responses.forEach(
				(r: { id: string; model: string; content: string; ai_score: number }, i: number) =>
					insertResponse.run(itemId, i, r.id, r.model, r.content, r.ai_score)
			);
			items += 1;
		}
	})();
	reportPhase({ seconds: (performance.now() - start) / 1000, items, cpuSeconds: cpuSeconds() });
}

async function main() {
	const phase = phaseArg();
	if (phase === 'real') return phaseReal();
	if (phase === 'baseline') return phaseBaseline();

	console.log(
		`\nImport benchmark: ${formatCount(ITEMS)} items × ${RESPONSES} responses of ~500 characters`
	);
	await generate(file, ITEMS);
	console.log(`file: ${file} (${formatMegabytes(statSync(file).size, 0)})\n`);
	const real = runPhase(self, 'real');
	const base = runPhase(self, 'baseline');
	let probe: ProbeResult | null = null;
	if (process.env.BENCH_PROBE !== '0') {
		await generate(reviewFile, 2000);
		probe = await probeDuringImport(file, reviewFile, DIR);
	}
	const realRate = real.items / real.seconds;
	const baseRate = base.items / base.seconds;
	const ratio = realRate / baseRate;
	table([
		['', 'Trait Review import', 'bare better-sqlite3'],
		['time', `${formatFixed(real.seconds, 1)} s`, `${formatFixed(base.seconds, 1)} s`],
		['items/s', formatCount(Math.round(realRate)), formatCount(Math.round(baseRate))],
		['CPU time', `${formatFixed(real.cpuSeconds, 1)} s`, `${formatFixed(base.cpuSeconds, 1)} s`],
		['peak RSS', `${formatFixed(real.peakRssMb, 0)} MB`, `${formatFixed(base.peakRssMb, 0)} MB`]
	]);
	const p99 = probe ? percentile(probe.during, 99) : NaN;
	if (probe) {
		console.log("\nThe same file through the server's API, while 16 researchers saved drafts:");
		table([
			['import', `${formatFixed(probe.importSeconds, 1)} s`, `${formatCount(probe.items)} items`],
			[
				'server peak RSS',
				probe.serverPeakRssMb === null ? 'n/a' : `${formatFixed(probe.serverPeakRssMb, 0)} MB`,
				''
			],
			['drafts saved before', describeLatencies(probe.before), ''],
			['drafts saved during', describeLatencies(probe.during), ''],
			['errors', String(probe.errors), '']
		]);
	}
	console.log('');
	const limit = ITEMS >= 1_000_000 ? 60 : 20;
	table([
		['target', 'figure', ''],
		[
			`whole import < ${limit} s`,
			`${formatFixed(real.seconds, 1)} s`,
			verdict(real.seconds < limit)
		],
		['≥ 40% of baseline throughput', formatPercent(ratio, 0), verdict(ratio >= 0.4)],
		['peak RSS < 300 MB', `${formatFixed(real.peakRssMb, 0)} MB`, verdict(real.peakRssMb < 300)],
		...(probe
			? ([
					[
						'review p99 during the import < 100 ms',
						`${formatFixed(p99, 0)} ms`,
						verdict(p99 < 100)
					],
					['no failed request', String(probe.errors), verdict(probe.errors === 0)]
				] as [string, string, string][])
			: [])
	]);
}

await main();
