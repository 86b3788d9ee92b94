import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { buildExportBatch } from '../../../../tests/support/export-fixture';
import { adjudicateItem } from '../adjudication';
import { cachedForBatch } from './batch-cache';
import { reviews } from '../db/schema';

describe('cachedForBatch', () => {
	it('computes once while the batch is unchanged, and again after a review or a decision', async () => {
		const db = createTestDb();
		const fixture = await buildExportBatch(db);
		let runs = 0;
		const compute = () => cachedForBatch(db, fixture.batchId, 'test', async () => ++runs);
		expect([await compute(), await compute()]).toEqual([1, 1]);

		// An edit of a submitted review moves its updated_at.
		const review = db.select().from(reviews).where(eq(reviews.batchId, fixture.batchId)).get()!;
		db.update(reviews)
			.set({ updatedAt: new Date(review.updatedAt.getTime() + 1000) })
			.where(eq(reviews.id, review.id))
			.run();
		expect(await compute()).toBe(2);

		adjudicateItem(db, fixture.lead.id, fixture.batchId, fixture.itemIds.e1, {
			decision: 'exclude',
			note: 'off topic'
		});
		expect([await compute(), await compute()]).toEqual([3, 3]);

		// Another database (say, another test) never sees this one's figures.
		const other = createTestDb();
		const again = await buildExportBatch(other);
		expect(await cachedForBatch(other, again.batchId, 'test', async () => 'fresh')).toBe('fresh');
	});
});
