// Stale marks: what a submit or an edit leaves instead of refreshing the tallies in its request,
// and the three ways they are refreshed (a reader's ensureBatchTallies, the batched refresh, the
// background refresher), each checked against a full recount or against refreshing one by one.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mulberry32 } from '$lib/prng';
import { makeTempDir } from '../../../../../tests/support/temp';
import { handOver } from '../../../../../tests/support/review-batches';
import { waitFor } from '../../../../../tests/support/wait';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../db';
import { editSubmittedReview, submitReview } from '../../reviews';
import {
	ensureBatchTallies,
	hasStaleTallies,
	refreshItemTallies,
	refreshStaleTallies,
	startTallyRefresher
} from '../index';
import { buildWorld, expectRecount, randomReview, randomStep, type World } from './tallies.fixture';

const TALLY_TABLES = [
	'item_tallies',
	'agreement_tallies',
	'reference_tallies',
	'model_game_tallies'
];

/** Every tally row the refreshes write, in a fixed order, to compare two databases exactly. */
function dumpTallies(client: Database.Database) {
	return Object.fromEntries(
		TALLY_TABLES.map((table) => [
			table,
			client.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3`).all()
		])
	);
}

function marks(client: Database.Database): [number, number][] {
	return client
		.prepare(`SELECT batch_id, item_id FROM stale_tallies ORDER BY batch_id, item_id`)
		.raw()
		.all() as [number, number][];
}

/** One researcher submits their review of one item. */
function submitOne(world: World, researcher: number, item: number, seed: number) {
	const { db, researchers, items } = world;
	const now = new Date(Date.UTC(2025, 1, 1) + seed * 60_000);
	handOver(db, researchers[researcher], items[item].id, now);
	const review = randomReview(mulberry32(seed), items[item].responses);
	submitReview(db, researchers[researcher], items[item].id, review, now);
}

afterEach(() => {
	vi.useRealTimers();
});

describe('stale tallies', () => {
	it('a submit or an edit marks its item and leaves the tallies alone until a reader refreshes them', async () => {
		const world = await buildWorld(11);
		const { db, batchId, items } = world;
		await ensureBatchTallies(db, batchId);
		const before = dumpTallies(db.$client);

		submitOne(world, 0, 0, 1);
		submitOne(world, 1, 0, 2);
		submitOne(world, 0, 1, 3);
		expect(marks(db.$client)).toEqual([
			[batchId, items[0].id],
			[batchId, items[1].id]
		]);
		expect(dumpTallies(db.$client)).toEqual(before);

		await expectRecount(db, batchId); // through batchDashboard, hence ensureBatchTallies
		expect(marks(db.$client)).toEqual([]);
		expect(dumpTallies(db.$client)).not.toEqual(before);

		const edited = dumpTallies(db.$client);
		const review = randomReview(mulberry32(99), items[0].responses);
		editSubmittedReview(db, world.researchers[0], items[0].id, review);
		expect(marks(db.$client)).toEqual([[batchId, items[0].id]]);
		expect(dumpTallies(db.$client)).toEqual(edited);
		await ensureBatchTallies(db, batchId, { chunkSize: 1 });
		expect(marks(db.$client)).toEqual([]);
		await expectRecount(db, batchId);
	});

	it('keeps its marks across a crash between the submit and the refresh', async () => {
		const path = join(makeTempDir('stale-tallies-'), 'review.db');
		const world = await buildWorld(12, { db: openDatabase(path) });
		await ensureBatchTallies(world.db, world.batchId);
		const random = mulberry32(12);
		for (let step = 1; step <= 60; step++) randomStep(world, random, step);
		const left = marks(world.db.$client);
		expect(left.length).toBeGreaterThan(0);
		world.db.$client.close();

		const reopened = openDatabase(path);
		expect(marks(reopened.$client)).toEqual(left);
		await expectRecount(reopened, world.batchId);
		expect(marks(reopened.$client)).toEqual([]);
		reopened.$client.close();
	});

	it('refreshes several items of several batches together exactly as one by one', async () => {
		// The same writes on two databases; one refreshes in a batch, the other item by item.
		const worlds = async () => {
			const first = await buildWorld(13, { count: 12 });
			const second = await buildWorld(14, { db: first.db, count: 12 });
			return [first, second];
		};
		const together = await worlds();
		const oneByOne = await worlds();
		for (const pair of [together, oneByOne]) {
			for (const world of pair) await ensureBatchTallies(world.db, world.batchId);
		}
		// Two rounds, so that the second takes out what the first put in.
		for (const round of [0, 1]) {
			for (const pair of [together, oneByOne]) {
				pair.forEach((world, w) => {
					const random = mulberry32(100 * round + w);
					for (let step = 1; step <= 40; step++) randomStep(world, random, 40 * round + step);
				});
			}
			const stale = marks(together[0].db.$client);
			expect(stale).toEqual(marks(oneByOne[0].db.$client));
			expect(new Set(stale.map(([batchId]) => batchId)).size).toBe(2);
			expect(stale.length).toBeGreaterThan(4);

			const { db } = together[0];
			const taken = db.$client
				.transaction(() => refreshStaleTallies(db, { limit: 1000 }))
				.immediate();
			expect(taken).toBe(stale.length);
			for (const [batchId, itemId] of stale) refreshItemTallies(oneByOne[0].db, batchId, itemId);
			expect(marks(db.$client)).toEqual([]);
			expect(marks(oneByOne[0].db.$client)).toEqual([]);
			expect(dumpTallies(db.$client)).toEqual(dumpTallies(oneByOne[0].db.$client));
		}
		for (const world of together) await expectRecount(world.db, world.batchId);
	});

	it('are refreshed by the refresher alone, a few items per slice, until it stops', async () => {
		const world = await buildWorld(15, { count: 12 });
		const { db, batchId } = world;
		await ensureBatchTallies(db, batchId);
		for (let item = 0; item < 7; item++) submitOne(world, item % 5, item, 20 + item);
		expect(marks(db.$client)).toHaveLength(7);

		const refresher = startTallyRefresher(db, { sliceItems: 2, idleMs: 20 });
		try {
			await waitFor(() => !hasStaleTallies(db.$client), 'the refresher to take every mark');
		} finally {
			await refresher.stop();
		}
		await expectRecount(db, batchId);

		// Stopped: time passes (fake timers, so no real wait) and the mark stays.
		vi.useFakeTimers();
		submitOne(world, 0, 10, 40);
		await vi.advanceTimersByTimeAsync(5_000);
		expect(marks(db.$client)).toEqual([[batchId, world.items[10].id]]);
		// The same wait with a refresher running takes it: the check above can fail.
		const running = startTallyRefresher(db, { idleMs: 20 });
		await vi.advanceTimersByTimeAsync(5_000);
		expect(marks(db.$client)).toEqual([]);
		await running.stop();
	});

	it('takes larger slices while marks keep it busy, and small ones again after', async () => {
		const world = await buildWorld(18, { count: 40 });
		const { db, batchId } = world;
		await ensureBatchTallies(db, batchId);
		for (let item = 0; item < 37; item++) submitOne(world, item % 5, item, 60 + item);
		const refresher = startTallyRefresher(db, {
			sliceItems: 2,
			maxSliceItems: 8,
			idleMs: 20,
			pauseMs: 1
		});
		try {
			await waitFor(() => !hasStaleTallies(db.$client), 'the refresher to take every mark');
			// 2, 4, 8, 8, 8, 7: six slices, where slices of two would have taken nineteen.
			expect(refresher.stats()).toEqual({ slices: 6, items: 37 });
			submitOne(world, 0, 37, 99);
			submitOne(world, 1, 38, 98);
			submitOne(world, 2, 39, 97);
			await waitFor(() => !hasStaleTallies(db.$client), 'the refresher to take the new marks');
			// Back to two a slice: 2, then 1.
			expect(refresher.stats()).toEqual({ slices: 8, items: 40 });
		} finally {
			await refresher.stop();
		}
		await expectRecount(db, batchId);
	});

	it('leaves no mark behind a deleted batch', async () => {
		const world = await buildWorld(16);
		const other = await buildWorld(17, { db: world.db });
		submitOne(world, 0, 0, 50);
		submitOne(world, 1, 2, 51);
		submitOne(other, 0, 0, 52);
		const client: Database.Database = world.db.$client;
		expect(marks(client)).toHaveLength(3);
		client.exec(`DELETE FROM leases`);
		client.prepare(`DELETE FROM batches WHERE id = ?`).run(world.batchId);
		expect(marks(client)).toEqual([[other.batchId, other.items[0].id]]);
	});
});
