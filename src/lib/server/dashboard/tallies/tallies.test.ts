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
import { createTestDb } from '../../../../../tests/support/db';
import { makeUser } from '../../../../../tests/support/factories';
import { handOver } from '../../../../../tests/support/review-batches';
import { adjudicateItem, clearAdjudication } from '../../adjudication';
import { lockBatch, openBatch, unlockBatch } from '../../batches';
import { findMigrationsFolder, openDatabase, type AppDB } from '../../db';
import { DomainError } from '../../errors';
import { importFile } from '../../imports';
import {
	assignResearcher,
	editSubmittedReview,
	saveDraft,
	setOverlap,
	skipItem,
	submitReview
} from '../../reviews';
import { consensusInput, readItems } from '../../item-records';
import { itemSpread } from '../../stats';
import {
	backfillTallies,
	batchDashboard,
	ensureBatchTallies,
	readTalliedSpreads,
	recountDashboard
} from '../index';

/** Three models, and responses that name none. */
const MODELS = ['m1', 'm2', 'm3', null];
const modelOf = (model: string | null) => (model ? { model } : {});
const TRAITS = ['warmth', 'curiosity', 'candour'];
const SCALE = 5;

type World = {
	db: AppDB;
	batchId: number;
	adminId: number;
	researchers: number[];
	items: { id: number; responses: number[] }[];
};

/** Items of three traits, with models (some shared, some missing), AI judgements and labels. */
function batchLines(random: () => number, count: number, traits: number): string {
	return Array.from({ length: count }, (_, i) => {
		const responses = Array.from({ length: 2 + Math.floor(random() * 3) }, (_, p) => ({
			content: `Response ${p} to item ${i}.`,
			...modelOf(MODELS[Math.floor(random() * MODELS.length)]),
			...(i % 3 === 0 ? { ai_rank: 1 + Math.floor(random() * 3) } : {}),
			...(i % 3 === 1 ? { ai_score: Math.round(random() * 10) } : {}),
			...(i % 2 === 0 ? { reference: { label: ['good', 'bad', 'ok'][p % 3] } } : {})
		}));
		return JSON.stringify({
			id: `item-${i}`,
			trait: TRAITS[i % traits],
			prompt: `Prompt ${i}`,
			responses
		});
	}).join('\n');
}

async function buildWorld(
	seed: number,
	{ db = createTestDb(), count = 10, traits = TRAITS.length } = {}
): Promise<World> {
	const random = mulberry32(seed);
	const admin = await makeUser(db, { role: 'admin' });
	const file = join(mkdtempSync(join(tmpdir(), 'tallies-')), 'batch.jsonl');
	writeFileSync(file, batchLines(random, count, traits) + '\n');
	const result = await importFile(db, file, {
		actorId: admin.id,
		batch: `tallies-${seed}-${admin.id}`,
		constitution: `tallies-${seed}-${admin.id}`,
		settings: { overlap: 3, scalePoints: SCALE }
	});
	if (!result.ok || result.kind !== 'batch') throw new Error(JSON.stringify(result));
	openBatch(db, admin.id, result.batchId);
	const researchers: number[] = [];
	for (let r = 0; r < 5; r++) {
		const { id } = await makeUser(db, { role: 'researcher' });
		assignResearcher(db, admin.id, result.batchId, id, null);
		researchers.push(id);
	}
	const items = (
		db.$client
			.prepare(`SELECT id FROM items WHERE batch_id = ? ORDER BY id`)
			.all(result.batchId) as { id: number }[]
	).map(({ id }) => ({
		id,
		responses: (
			db.$client
				.prepare(`SELECT id FROM responses WHERE item_id = ? ORDER BY position`)
				.all(id) as { id: number }[]
		).map((r) => r.id)
	}));
	return { db, batchId: result.batchId, adminId: admin.id, researchers, items };
}

/** A complete review: random scores, ranks in competition style from random values (ties). */
function randomReview(random: () => number, responses: number[]) {
	const values = responses.map(() => Math.floor(random() * 3));
	return {
		scores: Object.fromEntries(responses.map((id) => [id, 1 + Math.floor(random() * SCALE)])),
		ranks: Object.fromEntries(
			responses.map((id, i) => [id, 1 + values.filter((v) => v > values[i]).length])
		),
		timeSpentMs: Math.floor(random() * 4_000_000)
	};
}

/** One random write; refusals (a full item, a locked batch, …) are part of the sequence. */
function randomStep(world: World, random: () => number, step: number) {
	const { db, batchId, adminId } = world;
	const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
	const item = pick(world.items);
	const user = pick(world.researchers);
	const now = new Date(Date.UTC(2025, 0, 1) + step * 5 * 3600_000);
	const roll = random();
	try {
		if (roll < 0.35) {
			handOver(db, user, item.id, now);
			submitReview(db, user, item.id, randomReview(random, item.responses), now);
		} else if (roll < 0.55) {
			editSubmittedReview(db, user, item.id, randomReview(random, item.responses), now);
		} else if (roll < 0.62) {
			handOver(db, user, item.id, now);
			saveDraft(db, user, item.id, { scores: {}, timeSpentMs: 1000 }, now);
		} else if (roll < 0.67) {
			handOver(db, user, item.id, now);
			skipItem(db, user, item.id, 'not my field', {}, now);
		} else if (roll < 0.8) {
			const order =
				random() < 0.3 ? null : item.responses.map((id) => [id]).sort(() => random() - 0.5);
			adjudicateItem(db, adminId, batchId, item.id, {
				...(order ? { decision: 'order', order } : { decision: 'exclude' }),
				note: 'decided'
			});
		} else if (roll < 0.9) {
			clearAdjudication(db, adminId, batchId, item.id);
		} else if (roll < 0.95) {
			setOverlap(db, adminId, batchId, 1 + Math.floor(random() * 4));
		} else if (roll < 0.975) {
			lockBatch(db, adminId, batchId, true);
		} else {
			unlockBatch(db, adminId, batchId);
		}
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
	}
}

/** Every number within 1e-12 (alpha, means, strengths), everything else exactly. */
function differences(actual: unknown, expected: unknown, path = ''): string[] {
	if (typeof actual === 'number' && typeof expected === 'number') {
		const close = actual === expected || Math.abs(actual - expected) <= 1e-12;
		return close ? [] : [`${path}: ${actual} ≠ ${expected}`];
	}
	if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
		const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
		return [...keys].flatMap((key) =>
			differences(
				(actual as Record<string, unknown>)[key],
				(expected as Record<string, unknown>)[key],
				`${path}.${key}`
			)
		);
	}
	return Object.is(actual, expected) ? [] : [`${path}: ${String(actual)} ≠ ${String(expected)}`];
}

async function expectRecount(db: AppDB, batchId: number) {
	const options = { showNames: true };
	const fast = await batchDashboard(db, batchId, options);
	const full = await recountDashboard(db, batchId, options);
	expect(differences(fast, full)).toEqual([]);
	// The adjudication list's ranking, from the same tallies, against every item read whole.
	const tallied = readTalliedSpreads(db.$client, batchId);
	expect(tallied).not.toBeNull();
	const spreads = [...tallied!].sort((a, b) => a.itemId - b.itemId);
	const recounted = [...readItems(db.$client, [batchId], { withContent: false })]
		.filter((item) => item.reviews.length >= 2)
		.map((item) => ({
			itemId: item.id,
			traitKey: item.traitKey,
			reviews: item.reviews.length,
			...itemSpread(consensusInput(item))
		}));
	expect(differences(spreads, recounted)).toEqual([]);
	return fast;
}

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
