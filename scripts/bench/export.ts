// Export benchmark: 100,000 items × 4 responses × 3 submitted reviews, exported as TRL with all
// ordered pairs through the real export path, against one SQL scan that writes the same pairs
// with JSON.stringify. Each phase runs in its own process, so its peak RSS is its own.
// BENCH_SHARED_PROMPTS=pairs puts every prompt, with the same responses, under two traits, its
// two items next to each other; =blocks puts the first trait's half of the items first, so that
// the check for conflicts between traits holds that half until the second half is read.
import Database from 'better-sqlite3';
import { createWriteStream, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { batchAgreement } from '../../src/lib/server/dashboard';
import { openDatabase } from '../../src/lib/server/db';
import { exportOptionsSchema, runExport } from '../../src/lib/server/exports';
import {
	BENCH_DIR,
	phaseArg,
	reportPhase,
	runPhase,
	table,
	verdict,
	type Measured
} from './common';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const RESPONSES = 4;
const REVIEWERS = 3;
const SHARED = process.env.BENCH_SHARED_PROMPTS;
if (SHARED !== undefined && SHARED !== 'pairs' && SHARED !== 'blocks') {
	throw new Error('BENCH_SHARED_PROMPTS is pairs or blocks.');
}
const database = join(BENCH_DIR, `export-${ITEMS}${SHARED ? `-${SHARED}` : ''}.db`);
const outDir = join(BENCH_DIR, 'exports');
const self = fileURLToPath(import.meta.url);

function setUp(): void {
	if (existsSync(database)) return;
	const db = openDatabase(database);
	const c = db.$client;
	const t0 = performance.now();
	c.transaction(() => {
		const user = c.prepare(
			`INSERT INTO users (username, display_name, password_hash, role) VALUES (?, ?, 'x', 'researcher')`
		);
		for (let u = 1; u <= REVIEWERS; u++) user.run(`r${u}`, `Reviewer ${u}`);
		c.exec(`INSERT INTO constitutions (name) VALUES ('bench')`);
		c.exec(`INSERT INTO traits (constitution_id, key) VALUES (1, 'warmth'), (1, 'curiosity')`);
		c.exec(
			`INSERT INTO trait_versions (trait_id, version, title) VALUES (1, 1, 'Warmth'), (2, 1, 'Curiosity')`
		);
		c.exec(
			`INSERT INTO batches (constitution_id, name, status, overlap) VALUES (1, 'bench', 'locked', ${REVIEWERS})`
		);
		const item = c.prepare(
			`INSERT INTO items (id, batch_id, trait_id, trait_version_id, external_id, prompt, prompt_text, response_count, source_line, submitted_count)
			 VALUES (?, 1, ?, ?, ?, ?, ?, ${RESPONSES}, ?, ${REVIEWERS})`
		);
		const response = c.prepare(
			`INSERT INTO responses (id, item_id, position, content) VALUES (?, ?, ?, ?)`
		);
		const review = c.prepare(
			`INSERT INTO reviews (id, item_id, batch_id, user_id, status, trait_version_id, shown_order, started_at, updated_at, submitted_at, time_spent_ms)
			 VALUES (?, ?, 1, ?, 'submitted', ?, ?, 0, 0, 0, 30000)`
		);
		const judged = c.prepare(
			`INSERT INTO review_responses (review_id, response_id, score, rank) VALUES (?, ?, ?, ?)`
		);
		for (let i = 1; i <= ITEMS; i++) {
			// Shared: prompt k and its responses under each trait, as items 2k - 1 and 2k (pairs),
			// or as items k and N/2 + k (blocks).
			const half = ITEMS / 2;
			const [prompt, trait] =
				SHARED === 'pairs'
					? [Math.ceil(i / 2), 2 - (i % 2)]
					: SHARED === 'blocks'
						? [i > half ? i - half : i, i > half ? 2 : 1]
						: [i, 1];
			const text = `Prompt ${prompt}: how would you answer someone who asks about their day?`;
			item.run(
				i,
				trait,
				trait,
				`item-${i}`,
				JSON.stringify([{ role: 'user', content: text }]),
				text,
				i
			);
			const ids: number[] = [];
			for (let p = 0; p < RESPONSES; p++) {
				const id = (i - 1) * RESPONSES + p + 1;
				ids.push(id);
				response.run(id, i, p, `Response ${p} to item ${prompt}. `.repeat(12));
			}
			for (let h = 0; h < REVIEWERS; h++) {
				const reviewId = (i - 1) * REVIEWERS + h + 1;
				review.run(reviewId, i, h + 1, trait, JSON.stringify(ids));
				// Reviewers mostly agree (a shared order) with some noise, as real ones do.
				const scores = ids.map((_, p) =>
					Math.max(1, Math.min(7, 7 - 2 * p + (((i + h * p) % 3) - 1)))
				);
				ids.forEach((id, p) =>
					judged.run(reviewId, id, scores[p], 1 + scores.filter((s) => s > scores[p]).length)
				);
			}
		}
	})();
	c.pragma('wal_checkpoint(TRUNCATE)');
	c.close();
	console.log(
		`set up ${ITEMS.toLocaleString()} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`
	);
}

/** The real path: runExport, streaming to a file, with its record and dataset card. */
async function appPhase() {
	const db = openDatabase(database);
	const t0 = performance.now();
	const record = await runExport(
		db,
		null,
		exportOptionsSchema.parse({
			batchIds: [1],
			format: 'trl',
			strategy: 'all-pairs',
			includeMargin: true
		}),
		{ dir: outDir }
	);
	const seconds = (performance.now() - t0) / 1000;
	rmSync(join(outDir, record.fileName));
	reportPhase({ seconds, lines: record.rowCount });
}

/** The same pairs from one SQL scan: mean score per response, grouped by item, stringified. */
async function baselinePhase() {
	const c = new Database(database, { readonly: true });
	const out = createWriteStream(join(outDir, 'baseline.jsonl'));
	const t0 = performance.now();
	const rows = c
		.prepare(
			`SELECT i.id AS itemId, i.external_id AS externalId, i.prompt, r.id AS responseId, r.content,
			        avg(rr.score) AS mean, count(*) AS reviews
			   FROM items i JOIN responses r ON r.item_id = i.id
			   JOIN review_responses rr ON rr.response_id = r.id
			  WHERE i.batch_id = 1
			  GROUP BY r.id ORDER BY i.id, mean DESC`
		)
		.iterate() as IterableIterator<{
		itemId: number;
		externalId: string;
		prompt: string;
		content: string;
		mean: number;
		reviews: number;
	}>;
	let lines = 0;
	let group: { content: string; mean: number }[] = [];
	let current: { itemId: number; externalId: string; prompt: string; reviews: number } | null =
		null;
	let buffer = '';
	const flush = async () => {
		if (!current) return;
		const prompt = (JSON.parse(current.prompt) as { content: string }[])[0].content;
		for (let a = 0; a < group.length; a++) {
			for (let b = a + 1; b < group.length; b++) {
				if (group[a].mean === group[b].mean) continue;
				buffer +=
					JSON.stringify({
						prompt,
						chosen: group[a].content,
						rejected: group[b].content,
						margin: group[a].mean - group[b].mean,
						metadata: {
							item_id: current.externalId,
							batch: 'bench',
							review_count: current.reviews / RESPONSES
						}
					}) + '\n';
				lines += 1;
			}
		}
		if (buffer.length > 1 << 20) {
			if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()));
			buffer = '';
		}
	};
	for (const row of rows) {
		if (current && row.itemId !== current.itemId) {
			await flush();
			group = [];
		}
		current = row;
		group.push({ content: row.content, mean: row.mean });
	}
	await flush();
	out.end(buffer);
	await new Promise<void>((r) => out.once('finish', () => r()));
	const seconds = (performance.now() - t0) / 1000;
	rmSync(join(outDir, 'baseline.jsonl'));
	reportPhase({ seconds, lines });
}

/** Krippendorff's alpha for the batch (ordinal and interval, per trait, leave-one-out). */
function agreementPhase() {
	const db = openDatabase(database);
	const t0 = performance.now();
	const agreement = batchAgreement(db, 1);
	reportPhase({
		seconds: (performance.now() - t0) / 1000,
		alpha: agreement.overall.ordinal ?? NaN
	});
}

async function main() {
	const phase = phaseArg();
	if (phase === 'app') return appPhase();
	if (phase === 'baseline') return baselinePhase();
	if (phase === 'agreement') return agreementPhase();

	console.log(
		`\nExport benchmark: ${ITEMS.toLocaleString()} items × ${RESPONSES} responses × ${REVIEWERS} reviews, TRL, all ordered pairs${SHARED ? `, every prompt under two traits (${SHARED})` : ''}`
	);
	setUp();
	const app = runPhase(self, 'app');
	const baseline = runPhase(self, 'baseline');
	const agreement = runPhase(self, 'agreement');
	const rate = (m: Measured) => m.lines / m.seconds;
	const ratio = rate(app) / rate(baseline);
	table([
		['', 'Trait Review export', 'one SQL scan + JSON.stringify'],
		['lines', app.lines.toLocaleString(), baseline.lines.toLocaleString()],
		['time', `${app.seconds.toFixed(1)} s`, `${baseline.seconds.toFixed(1)} s`],
		['lines/s', rate(app).toFixed(0), rate(baseline).toFixed(0)],
		['peak RSS', `${app.peakRssMb.toFixed(0)} MB`, `${baseline.peakRssMb.toFixed(0)} MB`]
	]);
	console.log(
		`\nagreement for the batch (α ordinal ${agreement.alpha.toFixed(3)}): ${agreement.seconds.toFixed(2)} s, peak RSS ${agreement.peakRssMb.toFixed(0)} MB\n`
	);
	table([
		['target', 'figure', ''],
		['≥ 30% of the baseline speed', `${(ratio * 100).toFixed(0)}%`, verdict(ratio >= 0.3)],
		['peak RSS < 300 MB', `${app.peakRssMb.toFixed(0)} MB`, verdict(app.peakRssMb < 300)],
		['agreement < 3 s', `${agreement.seconds.toFixed(2)} s`, verdict(agreement.seconds < 3)]
	]);
}

await main();
