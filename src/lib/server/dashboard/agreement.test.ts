import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { openBatchWithResearchers } from '../../../../tests/support/review-fixtures';
import { batchAgreement, batchAgreementAsync, createBatchAlpha } from './agreement';
import { readItems } from '../item-records';
import { responses } from '../db/schema';
import { asc, eq } from 'drizzle-orm';
import { claimNextItem, submitReview } from '../reviews';
import type { AppDB } from '../db';

/** Every researcher reviews every item; `scoreOf` decides each score. */
function reviewAll(
	db: AppDB,
	batchId: number,
	researchers: { id: number }[],
	scoreOf: (reviewer: number, position: number) => number
) {
	researchers.forEach((r, reviewer) => {
		for (;;) {
			const { itemId } = claimNextItem(db, r.id, batchId);
			if (itemId === null) break;
			const ids = db
				.select({ id: responses.id })
				.from(responses)
				.where(eq(responses.itemId, itemId))
				.orderBy(asc(responses.position))
				.all()
				.map((x) => x.id);
			submitReview(db, r.id, itemId, {
				scores: Object.fromEntries(ids.map((id, p) => [id, scoreOf(reviewer, p)])),
				ranks: Object.fromEntries(ids.map((id, p) => [id, p + 1]))
			});
		}
	});
}

describe('batchAgreement', () => {
	it('is 1 when every reviewer gives the same scores, and reads as reliable', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db, {
			researchers: 3,
			overlap: 3
		});
		reviewAll(db, batchId, researchers, (_, position) => 7 - 2 * position);
		const agreement = batchAgreement(db, batchId);
		expect(agreement.overall.ordinal).toBeCloseTo(1, 6);
		expect(agreement.overall.reading).toContain('reliable');
		expect(agreement.byTrait.map((t) => t.key).sort()).toEqual(['curiosity', 'warmth']);
		expect(agreement.withoutReviewer).toHaveLength(3);
		// The async variant, which lets the server breathe between item ranges, agrees.
		expect(await batchAgreementAsync(db, batchId)).toEqual(agreement);
	});

	it('singles out the reviewer who disagrees with everyone else', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db, {
			researchers: 3,
			overlap: 3
		});
		// Two agree; the third scores the responses the other way round.
		reviewAll(db, batchId, researchers, (reviewer, position) =>
			reviewer === 2 ? 1 + 2 * position : 7 - 2 * position
		);
		const agreement = batchAgreement(db, batchId);
		expect(agreement.overall.ordinal!).toBeLessThan(0.5);
		const without = new Map(agreement.withoutReviewer.map((w) => [w.userId, w.alpha]));
		expect(without.get(researchers[2].id)).toBeCloseTo(1, 6);
		expect(without.get(researchers[0].id)!).toBeLessThan(0.5);
	});

	it('gives the same alpha from the items an export reads (the dataset card)', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db, {
			researchers: 3,
			overlap: 3
		});
		reviewAll(db, batchId, researchers, (reviewer, position) =>
			reviewer === 1 ? 1 + ((position * 3) % 7) : 7 - 2 * position
		);
		const full = await batchAgreementAsync(db, batchId);
		expect(full.overall.ordinal).not.toBeNull();
		const alpha = createBatchAlpha();
		for (const item of readItems(db.$client, [batchId])) alpha.addItem(item);
		const alone = alpha.result();
		expect(alone.reading).toBe(full.overall.reading);
		expect(alone.ordinal).toBeCloseTo(full.overall.ordinal!, 12);
		expect(alone.interval).toBeCloseTo(full.overall.interval!, 12);
	});
});
