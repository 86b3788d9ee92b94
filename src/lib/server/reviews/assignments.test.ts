import { OVERLAP_MAX, OVERLAP_MIN } from '$lib/batch-settings';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { openBatchWithResearchers } from '../../../../tests/support/review-fixtures';
import { handOver } from '../../../../tests/support/review-batches';
import { batches, items, leases } from '../db/schema';
import { claimNextItem, setOverlap, submitReview } from './index';
import { T0, at, claimed, completeInput } from './testing';

describe('overlap', () => {
	it('never lowers the overlap below the reviews an item already has', async () => {
		const db = createTestDb();
		const { batchId, researchers, lead } = await openBatchWithResearchers(db, { overlap: 2 });
		// One researcher reviews everything, the other one item: that item has two reviews.
		for (const [r, count] of [
			[researchers[0], 3],
			[researchers[1], 1]
		] as const) {
			for (let i = 0; i < count; i++) {
				const itemId = claimed(claimNextItem(db, r.id, batchId, T0));
				submitReview(db, r.id, itemId, completeInput(db, itemId), at(1));
			}
		}
		const most = Math.max(
			...db
				.select()
				.from(items)
				.where(eq(items.batchId, batchId))
				.all()
				.map((i) => i.submittedCount)
		);
		expect(most).toBe(2);
		expect(() => setOverlap(db, lead.id, batchId, 1)).toThrow('cannot go below 2');
		setOverlap(db, lead.id, batchId, 4);
		expect(db.select().from(batches).where(eq(batches.id, batchId)).get()!.overlap).toBe(4);
	});

	it('releases the newest live claims that a lower overlap leaves no room for', async () => {
		const db = createTestDb();
		const { batchId, researchers, lead } = await openBatchWithResearchers(db, {
			overlap: 3,
			researchers: 4
		});
		const [first, second, third, late] = researchers.map((r) => r.id);
		const item = claimed(claimNextItem(db, first, batchId, at(0)));
		submitReview(db, first, item, completeInput(db, item), at(1));
		// Two live claims on the same item, taken one after the other, and one long expired.
		handOver(db, second, item, at(2));
		handOver(db, third, item, at(3));
		handOver(db, late, item, at(-60));

		setOverlap(db, lead.id, batchId, 2, at(4));
		const live = db
			.select()
			.from(leases)
			.where(eq(leases.itemId, item))
			.all()
			.filter((l) => l.expiresAt > at(4));
		// 1 submitted + 1 claim = the new overlap: the earlier claim keeps its slot.
		expect(live.map((l) => l.userId)).toEqual([second]);
	});

	it('keeps reviews per item within the bounds the forms offer', async () => {
		const db = createTestDb();
		const { batchId, lead } = await openBatchWithResearchers(db);
		for (const overlap of [OVERLAP_MIN - 1, OVERLAP_MAX + 1, 2.5]) {
			expect(() => setOverlap(db, lead.id, batchId, overlap)).toThrow(
				`from ${OVERLAP_MIN} to ${OVERLAP_MAX}`
			);
		}
		setOverlap(db, lead.id, batchId, OVERLAP_MAX);
		expect(db.select().from(batches).where(eq(batches.id, batchId)).get()!.overlap).toBe(
			OVERLAP_MAX
		);
	});
});
