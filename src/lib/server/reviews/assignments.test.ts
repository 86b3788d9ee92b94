import { OVERLAP_MAX, OVERLAP_MIN } from '$lib/batch-settings';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { openBatchWithResearchers } from '../../../../tests/support/review-fixtures';
import { batches, items } from '../db/schema';
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
