// Gold items in the queue: handed out at the batch's gold rate, by a seeded draw that the
// tests can repeat exactly, within each item's overlap like every other item.
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeAssignment, makeUser } from '../../../../tests/support/factories';
import { importGeneratedBatch } from '../../../../tests/support/review-batches';
import type { AppDB } from '../db';
import { isGoldTurn, markGold, setGoldRate } from '../gold';
import { claimNextItem, submitReview } from './index';
import { T0, at, claimed, completeInput } from './testing';

/** A batch of `items` items (overlap given), its first `gold` made gold, and researchers. */
async function goldBatch(
	db: AppDB,
	options: { items: number; gold: number; overlap: number; rate: number; researchers: number }
) {
	const lead = await makeUser(db, { role: 'lead' });
	const { batchId, itemIds } = await importGeneratedBatch(db, lead.id, options);
	const goldIds = new Set(itemIds.slice(0, options.gold));
	for (const itemId of goldIds) {
		const ids = completeInput(db, itemId).ranks;
		const [best, ...rest] = Object.keys(ids).map(Number);
		markGold(db, lead.id, batchId, itemId, [[best], rest]);
	}
	setGoldRate(db, lead.id, batchId, options.rate);
	const researchers: number[] = [];
	for (let i = 0; i < options.researchers; i++) {
		const { id } = await makeUser(db, { role: 'researcher' });
		makeAssignment(db, batchId, id);
		researchers.push(id);
	}
	return { lead, batchId, goldIds, researchers };
}

/** The counts the seeded draw gives, found once: a change to the draw changes them. */
const GOLD_IN_10000 = 500;
const GOLD_IN_150 = 15;

describe('the seeded gold draw', () => {
	it('comes out at the rate, exactly the same on every run', () => {
		const draws = Array.from({ length: 10_000 }, (_, done) => isGoldTurn(0.05, 7, 3, done));
		const gold = draws.filter(Boolean).length;
		expect(gold).toBe(GOLD_IN_10000);
		expect(Math.abs(gold - 500)).toBeLessThan(60);
		expect(isGoldTurn(0, 7, 3, 0)).toBe(false);
		expect(Array.from({ length: 100 }, (_, d) => isGoldTurn(0.5, 1, 1, d))).toEqual(
			Array.from({ length: 100 }, (_, d) => isGoldTurn(0.5, 1, 1, d))
		);
	});
});

describe('the queue with gold items', () => {
	it('hands out gold at the rate over many claims, as the seeded draw says', async () => {
		const db = createTestDb();
		const { batchId, goldIds, researchers } = await goldBatch(db, {
			items: 300,
			gold: 100,
			overlap: 1,
			rate: 0.1,
			researchers: 1
		});
		const [r] = researchers;
		const handed: boolean[] = [];
		for (let done = 0; done < 150; done++) {
			const itemId = claimed(claimNextItem(db, r, batchId, at(done)));
			handed.push(goldIds.has(itemId));
			submitReview(db, r, itemId, completeInput(db, itemId), at(done));
		}
		const expected = handed.map((_, done) => isGoldTurn(0.1, r, batchId, done));
		expect(handed).toEqual(expected);
		expect(handed.filter(Boolean).length).toBe(GOLD_IN_150);
	});

	it('hands out no gold at rate 0 until the ordinary items run out, then the gold ones', async () => {
		const db = createTestDb();
		const { batchId, goldIds, researchers } = await goldBatch(db, {
			items: 6,
			gold: 2,
			overlap: 1,
			rate: 0,
			researchers: 1
		});
		const [r] = researchers;
		const order: boolean[] = [];
		for (let done = 0; done < 6; done++) {
			const itemId = claimed(claimNextItem(db, r, batchId, at(done)));
			order.push(goldIds.has(itemId));
			submitReview(db, r, itemId, completeInput(db, itemId), at(done));
		}
		expect(order).toEqual([false, false, false, false, true, true]);
		expect(claimNextItem(db, r, batchId, at(9))).toEqual({ itemId: null, reason: 'empty' });
	});

	it('never hands a gold item beyond its overlap, nor twice to one researcher', async () => {
		const db = createTestDb();
		// Every item gold, rate at its highest: each claim draws gold or falls back on it.
		const { batchId, researchers } = await goldBatch(db, {
			items: 2,
			gold: 2,
			overlap: 1,
			rate: 0.5,
			researchers: 3
		});
		const [a, b, c] = researchers;
		const first = claimed(claimNextItem(db, a, batchId, T0));
		const second = claimed(claimNextItem(db, b, batchId, T0));
		expect(second).not.toBe(first);
		expect(claimNextItem(db, c, batchId, T0)).toEqual({ itemId: null, reason: 'empty' });
		submitReview(db, a, first, completeInput(db, first), at(1));
		// a's item is full and b holds the other: nothing for a, though a gold item is left.
		expect(claimNextItem(db, a, batchId, at(2))).toEqual({ itemId: null, reason: 'empty' });
	});
});
