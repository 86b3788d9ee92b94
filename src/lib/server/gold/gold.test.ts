import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeAssignment, makeUser } from '../../../../tests/support/factories';
import {
	handOver,
	importGeneratedBatch,
	skipItem,
	submitReview
} from '../../../../tests/support/review-batches';
import { lockBatch } from '../batches';
import { goldAccuracy } from '../dashboard';
import type { AppDB } from '../db';
import { DomainError } from '../errors';
import { loadReviewPage } from '../reviews';
import { completeInput } from '../reviews/testing';
import { markGold, markGoldFromReferences, setGoldRate, unmarkGold } from './index';
import { goldOrderFromRanks } from './order';

/** The response ids of an item, in file order. */
const responseIds = (db: AppDB, itemId: number) =>
	Object.keys(completeInput(db, itemId).ranks).map(Number);

const goldOrderOf = (db: AppDB, itemId: number) =>
	(
		db.$client.prepare(`SELECT gold_order AS o FROM items WHERE id = ?`).get(itemId) as {
			o: string | null;
		}
	).o;

/** A review ranking an item's responses (file order) as given; scores follow the ranks. */
const ranked = (db: AppDB, itemId: number, ranks: number[]) => {
	const ids = responseIds(db, itemId);
	return {
		scores: Object.fromEntries(ids.map((id, i) => [id, 8 - ranks[i]])),
		ranks: Object.fromEntries(ids.map((id, i) => [id, ranks[i]])),
		comments: {},
		overallComment: '',
		flags: [],
		timeSpentMs: 1000
	};
};

async function setUp(items = 6) {
	const db = createTestDb();
	const lead = await makeUser(db, { role: 'lead' });
	const { batchId, itemIds } = await importGeneratedBatch(db, lead.id, { items, overlap: 3 });
	return { db, lead, batchId, itemIds };
}

describe('marking gold items', () => {
	it('stores the expected order, audits it, and unmarks', async () => {
		const { db, lead, batchId, itemIds } = await setUp();
		const [a, b, c] = responseIds(db, itemIds[1]);
		markGold(db, lead.id, batchId, itemIds[1], [[a], [b, c]]);
		expect(JSON.parse(goldOrderOf(db, itemIds[1])!)).toEqual([[a], [b, c]]);
		unmarkGold(db, lead.id, batchId, itemIds[1]);
		expect(goldOrderOf(db, itemIds[1])).toBeNull();
		const actions = db.$client
			.prepare(`SELECT action FROM audit_events WHERE action LIKE 'item.gold%' ORDER BY id`)
			.all();
		expect(actions).toEqual([{ action: 'item.gold.mark' }, { action: 'item.gold.unmark' }]);
	});

	it('refuses an order that decides nothing, or names another item’s response', async () => {
		const { db, lead, batchId, itemIds } = await setUp();
		const [a, b] = responseIds(db, itemIds[0]);
		const [other] = responseIds(db, itemIds[1]);
		expect(() => markGold(db, lead.id, batchId, itemIds[0], [[a, b]])).toThrow(/two different/);
		expect(() => markGold(db, lead.id, batchId, itemIds[0], [[a], [other]])).toThrow(
			/responses of this item/
		);
		expect(() => markGold(db, lead.id, batchId + 1, itemIds[0], [[a], [b]])).toThrow(DomainError);
		expect(goldOrderOf(db, itemIds[0])).toBeNull();
	});

	it('reads the item page’s expected ranks, ties and blanks included', () => {
		const ranks = new Map([
			[11, '2'],
			[12, ''],
			[13, '1'],
			[14, '2']
		]);
		expect(goldOrderFromRanks([11, 12, 13, 14], ranks)).toEqual([[13], [11, 14]]);
		expect(() => goldOrderFromRanks([11, 12], new Map([[11, '1.5']]))).toThrow(/whole number/);
	});

	it('refuses changes in a locked batch', async () => {
		const { db, lead, batchId, itemIds } = await setUp(1);
		lockBatch(db, lead.id, batchId, true);
		const [a, b] = responseIds(db, itemIds[0]);
		expect(() => markGold(db, lead.id, batchId, itemIds[0], [[a], [b]])).toThrow(/locked/);
	});

	it('makes every item with GOOD and BAD references gold, GOOD above BAD, keeping hand-made orders', async () => {
		const { db, lead, batchId, itemIds } = await setUp(3);
		const [a, b, c] = responseIds(db, itemIds[1]);
		markGold(db, lead.id, batchId, itemIds[1], [[c], [a], [b]]);
		expect(markGoldFromReferences(db, lead.id, batchId)).toEqual({ marked: 2, kept: 1 });
		// The generated items' first response is GOOD, the others BAD.
		const [x, y] = responseIds(db, itemIds[0]);
		expect(JSON.parse(goldOrderOf(db, itemIds[0])!)).toEqual([[x], [y]]);
		expect(JSON.parse(goldOrderOf(db, itemIds[1])!)).toEqual([[c], [a], [b]]);
		expect(markGoldFromReferences(db, lead.id, batchId)).toEqual({ marked: 0, kept: 3 });
	});

	it('keeps the gold rate between 0 and 50%', async () => {
		const { db, lead, batchId } = await setUp(1);
		setGoldRate(db, lead.id, batchId, 0.2);
		expect(() => setGoldRate(db, lead.id, batchId, 0.51)).toThrow(/0 to 50%/);
		expect(() => setGoldRate(db, lead.id, batchId, Number.NaN)).toThrow(DomainError);
		const row = db.$client.prepare(`SELECT gold_rate AS r FROM batches WHERE id = ?`).get(batchId);
		expect(row).toEqual({ r: 0.2 });
	});
});

describe('gold accuracy through the dashboard', () => {
	it('is exact on a hand-built batch', async () => {
		const { db, lead, batchId, itemIds } = await setUp(6);
		const researchers = [];
		for (let i = 0; i < 3; i++) {
			const user = await makeUser(db, { role: 'researcher' });
			makeAssignment(db, batchId, user.id);
			researchers.push(user.id);
		}
		const [good, mixed, few] = researchers;
		// Items 1 and 3 have two responses, 2 and 4 three. Pairs the orders decide: 1, 2, 1, 3.
		const order = (itemId: number, groups: number[][]) => {
			const ids = responseIds(db, itemId);
			markGold(
				db,
				lead.id,
				batchId,
				itemId,
				groups.map((g) => g.map((i) => ids[i]))
			);
		};
		order(itemIds[0], [[0], [1]]);
		order(itemIds[1], [[0], [1, 2]]);
		order(itemIds[2], [[0], [1]]);
		order(itemIds[3], [[0], [1], [2]]);
		const t = new Date('2026-05-01T09:00:00Z');
		const review = (user: number, i: number, ranks: number[]) =>
			submitReview(db, user, itemIds[i], ranked(db, itemIds[i], ranks), t);

		// Agrees with every pair: 7 of 7.
		[
			[1, 2],
			[1, 2, 3],
			[1, 2],
			[1, 2, 3]
		].forEach((r, i) => review(good, i, r));
		// 0 of 1, 1 of 2, 1 of 1, 2 of 3: 4 of 7.
		[
			[2, 1],
			[2, 1, 3],
			[1, 2],
			[1, 3, 2]
		].forEach((r, i) => review(mixed, i, r));
		// Ordinary items, a skip and a second reviewer's worth of gold: none of it counts.
		review(mixed, 4, [2, 1]);
		skipItem(db, few, itemIds[2], 'not my field', {}, t);
		[
			[1, 2],
			[1, 2, 3]
		].forEach((r, i) => review(few, i, r));

		const rows = goldAccuracy(db, [batchId]);
		expect(rows.map((r) => r.userId)).toEqual([good, mixed, few]);
		const [g, m, f] = rows;
		expect(g).toMatchObject({ items: 4, pairs: 7, agreed: 7, accuracy: 1, reading: 'ok' });
		// Wilson 7 of 7: lower 7 / (7 + z²) = 0.6457, upper 1.
		expect(g.lower).toBeCloseTo(0.6457, 4);
		expect(g.upper).toBe(1);
		expect(m).toMatchObject({ items: 4, pairs: 7, agreed: 4, reading: 'below' });
		expect(m.accuracy).toBeCloseTo(4 / 7, 10);
		// Wilson 4 of 7: centre 0.5461, half 0.2957.
		expect(m.lower).toBeCloseTo(0.2505, 3);
		expect(m.upper).toBeCloseTo(0.8418, 3);
		expect(f).toMatchObject({ items: 2, pairs: 3, agreed: 3, reading: 'too-few' });
	});
});

describe('what a researcher sees of a gold item', () => {
	it('sends nothing that tells it from an ordinary item', async () => {
		const { db, lead, batchId, itemIds } = await setUp(2);
		const user = await makeUser(db, { role: 'researcher' });
		makeAssignment(db, batchId, user.id);
		const shown = (itemId: number) => {
			handOver(db, user.id, itemId);
			const page = loadReviewPage(db, user.id, batchId, itemId);
			expect(page?.responses.length).toBe(2);
			// Ids, letters and order differ between items; the page's shape must not.
			return JSON.stringify(page, (key, value) => (typeof value === 'number' ? 0 : value))
				.replace(/Prompt \d+ of batch [\w-]+/g, 'P')
				.replace(/Response \d+ to prompt \d+\./g, 'R');
		};
		const before = shown(itemIds[0]);
		const [a, b] = responseIds(db, itemIds[0]);
		markGold(db, lead.id, batchId, itemIds[0], [[a], [b]]);
		expect(shown(itemIds[0])).toBe(before);
		expect(before).not.toMatch(/gold/i);
	});
});
