// The running tallies against a full recount: random, seeded sequences of submits, edits,
// drafts, skips, decisions, clears, overlap changes and locks on a real database, checked
// step by step; a build that writes go on during; and an upgrade of a database from before
// the tallies (the migration's backfill, then the one at start).
import { mulberry32 } from '$lib/prng';
import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { describe, expect, it } from 'vitest';
import { findMigrationsFolder, openDatabase } from '../../db';
import { backfillTallies, batchDashboard, ensureBatchTallies, recountDashboard } from '../index';
import { buildWorld, differences, expectRecount, randomStep } from './tallies.fixture';

describe('running tallies', () => {
	// A batch of one trait keeps no per-trait counts: its figures are the batch's.
	it.each([
		[1, 3],
		[2, 3],
		[3, 1]
	])(
		'give what a full recount gives after every step of random writes (seed %i, traits: %i)',
		async (seed, traits) => {
			const world = await buildWorld(seed, { traits });
			const random = mulberry32(seed * 7919);
			let dashboard = await expectRecount(world.db, world.batchId);
			for (let step = 1; step <= 240; step++) {
				randomStep(world, random, step);
				if (step % 8 === 0) dashboard = await expectRecount(world.db, world.batchId);
			}
			// The sequence reached the figures it is meant to test.
			expect(dashboard.agreement.ratings).toBeGreaterThan(20);
			expect(dashboard.agreement.overall.ordinal).not.toBeNull();
			expect(dashboard.agreement.withoutReviewer.length).toBeGreaterThan(2);
			expect(dashboard.byModel.length).toBeGreaterThan(0);
			expect(dashboard.reference.items).toBeGreaterThan(0);
			expect(dashboard.humanVsAi.overall.items).toBeGreaterThan(0);
		},
		30_000
	);

	it('count a batch once, correctly, while reviews arrive during the count', async () => {
		const world = await buildWorld(4, { count: 24 });
		const random = mulberry32(4);
		for (let step = 1; step <= 120; step++) randomStep(world, random, step);
		// As if the batch came from before the tallies: only its writes from here on count.
		for (const table of ['item_tallies', 'agreement_tallies', 'reference_tallies'])
			world.db.$client.prepare(`DELETE FROM ${table}`).run();
		world.db.$client.prepare(`DELETE FROM model_game_tallies`).run();
		let done = false;
		const build = ensureBatchTallies(world.db, world.batchId, { chunkSize: 2 }).then(
			() => (done = true)
		);
		let step = 120;
		while (!done) {
			randomStep(world, random, ++step);
			await new Promise((resolve) => setImmediate(resolve));
		}
		await build;
		expect(step).toBeGreaterThan(125);
		await expectRecount(world.db, world.batchId);
	});

	it('are built for a database from before them: by its migration, then at start', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'tallies-upgrade-'));
		const current = openDatabase(join(dir, 'current.db'));
		const world = await buildWorld(5, { db: current });
		const random = mulberry32(5);
		for (let step = 1; step <= 200; step++) randomStep(world, random, step);

		// The same rows in a database at the migration before the tallies.
		const before = join(dir, 'migrations-before');
		cpSync(findMigrationsFolder(), before, { recursive: true });
		const journalPath = join(before, 'meta', '_journal.json');
		const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {
			entries: { tag: string }[];
		};
		const at = journal.entries.findIndex((e) => e.tag.endsWith('_dashboard_tallies'));
		journal.entries = journal.entries.slice(0, at);
		writeFileSync(journalPath, JSON.stringify(journal));
		const oldPath = join(dir, 'old.db');
		const old = new Database(oldPath);
		migrate(drizzle(old), { migrationsFolder: before });
		copyRows(old, join(dir, 'current.db'));
		old.close();

		const upgraded = openDatabase(oldPath);
		await backfillTallies(upgraded);
		const fast = await batchDashboard(upgraded, world.batchId, { showNames: true });
		const full = await recountDashboard(current, world.batchId, { showNames: true });
		expect(differences(fast, full)).toEqual([]);
		expect(fast.timeSpent.reviews).toBeGreaterThan(20);
		// And from here on the upgraded database keeps them.
		randomStep({ ...world, db: upgraded }, mulberry32(6), 201);
		for (let step = 202; step < 260; step++) randomStep({ ...world, db: upgraded }, random, step);
		await expectRecount(upgraded, world.batchId);
	});
});

/** Copies every table the old schema has from the current database, column by column. */
function copyRows(old: Database.Database, currentPath: string) {
	old.pragma('foreign_keys = OFF');
	old.prepare(`ATTACH DATABASE ? AS current`).run(currentPath);
	const tables = old
		.prepare(
			`SELECT name FROM sqlite_master WHERE type = 'table'
			  AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`
		)
		.all() as { name: string }[];
	for (const { name } of tables) {
		const columns = (old.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[])
			.map((c) => `"${c.name}"`)
			.join(', ');
		old.exec(`INSERT INTO main."${name}" (${columns}) SELECT ${columns} FROM current."${name}"`);
	}
	old.exec(`DETACH DATABASE current`);
}
