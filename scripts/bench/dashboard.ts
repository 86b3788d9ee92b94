// Dashboard benchmark: the first load of a batch dashboard in a fresh process (what a lead sees
// first after a server start) on 100,000 items and about 300,000 submitted reviews, read from
// the running tallies, against the full recomputation that reads every review.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../../src/lib/prng';
import { backfillTallies, batchDashboard, recountDashboard } from '../../src/lib/server/dashboard';
import { openDatabase } from '../../src/lib/server/db';
import { BENCH_DIR, phaseArg, reportPhase, runPhase, table, verdict } from './common';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const RESPONSES = 4;
const OVERLAP = 3;
const REVIEWERS = 12;
const MODELS = ['model-a', 'model-b', 'model-c', 'model-d'];
const TRAITS = ['warmth', 'curiosity'];
const database = join(BENCH_DIR, `dashboard-${ITEMS}.db`);
const self = fileURLToPath(import.meta.url);
const DAY_MS = 86_400_000;

/**
 * Direct inserts, as an older database upgraded to this version holds them: two traits, four
 * models, AI ranks on every item, reference labels on one in five, three submitted reviews per
 * item spread over two months, plus drafts, skips and some decisions.
 */
function setUp(): void {
	if (existsSync(database)) return;
	const db = openDatabase(database);
	const c = db.$client;
	const random = mulberry32(12);
	const t0 = performance.now();
	c.transaction(() => {
		const user = c.prepare(
			`INSERT INTO users (username, display_name, password_hash, role) VALUES (?, ?, 'x', ?)`
		);
		user.run('lead', 'Lead', 'lead');
		for (let u = 1; u <= REVIEWERS; u++) user.run(`r${u}`, `Reviewer ${u}`, 'researcher');
		c.exec(`INSERT INTO constitutions (name) VALUES ('bench')`);
		TRAITS.forEach((key, t) => {
			c.prepare(`INSERT INTO traits (id, constitution_id, key) VALUES (?, 1, ?)`).run(t + 1, key);
			c.prepare(
				`INSERT INTO trait_versions (id, trait_id, version, title) VALUES (?, ?, 1, ?)`
			).run(t + 1, t + 1, key);
		});
		c.exec(
			`INSERT INTO batches (constitution_id, name, status, overlap) VALUES (1, 'bench', 'open', ${OVERLAP})`
		);
		const assign = c.prepare(`INSERT INTO assignments (batch_id, user_id) VALUES (1, ?)`);
		for (let u = 2; u <= REVIEWERS + 1; u++) assign.run(u);
		const item = c.prepare(
			`INSERT INTO items (id, batch_id, trait_id, trait_version_id, external_id, prompt, prompt_text, response_count, source_line, submitted_count)
			 VALUES (?, 1, ?, ?, ?, ?, ?, ${RESPONSES}, ?, ?)`
		);
		const response = c.prepare(
			`INSERT INTO responses (id, item_id, position, model, content, ai_rank, reference_label)
			 VALUES (?, ?, ?, ?, ?, ?, ?)`
		);
		const review = c.prepare(
			`INSERT INTO reviews (item_id, batch_id, user_id, status, skip_reason, trait_version_id, shown_order, started_at, updated_at, submitted_at, time_spent_ms)
			 VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
		);
		const judged = c.prepare(
			`INSERT INTO review_responses (review_id, response_id, score, rank) VALUES (?, ?, ?, ?)`
		);
		const decide = c.prepare(
			`INSERT INTO adjudications (item_id, batch_id, decision, final_order, note, decided_by, decided_at)
			 VALUES (?, 1, ?, ?, 'bench', 1, ?)`
		);
		const start = Date.UTC(2026, 0, 5);
		for (let i = 1; i <= ITEMS; i++) {
			const trait = (i % TRAITS.length) + 1;
			const text = `Prompt ${i}: a friend writes that they did not get the job they wanted and asks what to do next.`;
			// Submitted reviews: three for most items, fewer for the last ones.
			const submitted = i > ITEMS - ITEMS / 20 ? i % OVERLAP : OVERLAP;
			item.run(
				i,
				trait,
				trait,
				`item-${i}`,
				JSON.stringify([{ role: 'user', content: text }]),
				text,
				i,
				submitted
			);
			const quality = MODELS.map(() => 1 + random() * 6);
			const ids: number[] = [];
			const labelled = i % 5 === 0;
			const aiOrder = [...quality.keys()].sort((a, b) => quality[b] - quality[a] + random() - 0.5);
			for (let p = 0; p < RESPONSES; p++) {
				const id = (i - 1) * RESPONSES + p + 1;
				ids.push(id);
				const label = !labelled ? null : p === 0 ? 'good' : p === 1 ? 'bad' : null;
				const content = `Response ${p} to item ${i}: take a day, then ask them what they would change. `;
				response.run(id, i, p, MODELS[p], content.repeat(4), aiOrder.indexOf(p) + 1, label);
			}
			const first = i % REVIEWERS;
			for (let h = 0; h < OVERLAP + 1; h++) {
				const userId = 2 + ((first + h * 5) % REVIEWERS);
				const status = h < submitted ? 'submitted' : h === OVERLAP ? 'draft' : 'skipped';
				if (status !== 'submitted' && i % 7 !== 0) continue;
				const when = start + Math.floor(random() * 60 * DAY_MS);
				const spent = Math.round(20_000 * Math.exp(random() * 4));
				const reviewId = (
					review.get(
						i,
						userId,
						status,
						status === 'skipped' ? 'not my field' : null,
						trait,
						JSON.stringify(ids),
						when,
						when,
						status === 'submitted' ? when : null,
						spent
					) as { id: number }
				).id;
				if (status === 'skipped') continue;
				const scores = quality.map((q) =>
					Math.max(1, Math.min(7, Math.round(q + (random() - 0.5) * 3)))
				);
				ids.forEach((id, p) =>
					judged.run(reviewId, id, scores[p], 1 + scores.filter((s) => s > scores[p]).length)
				);
			}
			if (i % 50 === 0) {
				const exclude = i % 200 === 0;
				const order = exclude ? null : JSON.stringify([[ids[1]], [ids[0], ids[2]], [ids[3]]]);
				decide.run(i, exclude ? 'exclude' : 'order', order, start + 60 * DAY_MS);
			}
		}
	})();
	c.pragma('wal_checkpoint(TRUNCATE)');
	c.close();
	console.log(
		`set up ${ITEMS.toLocaleString()} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`
	);
}

/** The one-time count of a database from before the tallies, as its first start does. */
async function buildPhase() {
	const db = openDatabase(database);
	const t0 = performance.now();
	await backfillTallies(db);
	reportPhase({ seconds: (performance.now() - t0) / 1000 });
}

/** The first dashboard load in a fresh process, then a second one. */
async function loadPhase(load: typeof batchDashboard) {
	const db = openDatabase(database);
	const t0 = performance.now();
	const dashboard = await load(db, 1, { showNames: false });
	const seconds = (performance.now() - t0) / 1000;
	// The recount is kept in memory by the page until the batch changes; the tallies are not.
	const t1 = performance.now();
	if (load === batchDashboard) await load(db, 1, { showNames: false });
	const again = (performance.now() - t1) / 1000;
	// The figures, to check that both ways give the same (a digest: phases are processes).
	const digest = parseInt(
		createHash('sha256').update(JSON.stringify(dashboard)).digest('hex').slice(0, 12),
		16
	);
	reportPhase({ seconds, again, digest, reviews: dashboard.timeSpent.reviews });
}

async function main() {
	const phase = phaseArg();
	if (phase === 'build') return buildPhase();
	if (phase === 'app') return loadPhase(batchDashboard);
	if (phase === 'baseline') return loadPhase(recountDashboard);

	console.log(
		`\nDashboard benchmark: ${ITEMS.toLocaleString()} items × ${RESPONSES} responses, about ${(ITEMS * OVERLAP).toLocaleString()} submitted reviews, first load in a fresh process`
	);
	setUp();
	// A no-op once done: the batch is counted once, at the first start after an upgrade.
	const build = runPhase(self, 'build');
	console.log(`tallies counted before the first load: ${build.seconds.toFixed(1)} s\n`);
	const app = runPhase(self, 'app');
	const baseline = runPhase(self, 'baseline');
	table([
		['', 'from the running tallies', 'full recount (before)'],
		['submitted reviews', app.reviews.toLocaleString(), baseline.reviews.toLocaleString()],
		['first load', `${(app.seconds * 1000).toFixed(0)} ms`, `${baseline.seconds.toFixed(1)} s`],
		['second load', `${(app.again * 1000).toFixed(0)} ms`, 'kept until the batch changes'],
		['peak RSS', `${app.peakRssMb.toFixed(0)} MB`, `${baseline.peakRssMb.toFixed(0)} MB`]
	]);
	console.log('');
	table([
		['target', 'figure', ''],
		['first load < 1 s', `${(app.seconds * 1000).toFixed(0)} ms`, verdict(app.seconds < 1)],
		[
			'the same figures as a full recount',
			app.digest === baseline.digest ? 'same' : 'DIFFERENT',
			verdict(app.digest === baseline.digest)
		]
	]);
}

await main();
