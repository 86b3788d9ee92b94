import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { openBatchWithResearchers } from '../../../../tests/support/review-fixtures';
import { listAuditEvents } from '../audit';
import { batches, items, responses, reviewResponses, reviews } from '../db/schema';
import {
	claimNextItem,
	editSubmittedReview,
	leaseMs,
	listMyReviews,
	saveDraft,
	skipItem,
	submitReview
} from './index';
import { T0, at, claimed, completeInput } from './testing';

describe('drafts and submits', () => {
	it('keeps a draft with the shown order and resumes it', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db);
		const r = researchers[0];
		const itemId = claimed(claimNextItem(db, r.id, batchId, T0));
		const draft = { ...completeInput(db, itemId), ranks: {} };
		saveDraft(db, r.id, itemId, draft, at(1));
		const review = db.select().from(reviews).get()!;
		expect(review.status).toBe('draft');
		expect([...review.shownOrder].sort()).toEqual(
			db
				.select({ id: responses.id })
				.from(responses)
				.where(eq(responses.itemId, itemId))
				.all()
				.map((x) => x.id)
				.sort()
		);
		const saved = db
			.select()
			.from(reviewResponses)
			.where(eq(reviewResponses.reviewId, review.id))
			.all();
		expect(saved.filter((s) => s.score !== null)).toHaveLength(saved.length);
		// Back after the lease ran out: the draft comes first.
		expect(claimNextItem(db, r.id, batchId, at(24 * 60)).itemId).toBe(itemId);
	});

	it('refuses an incomplete submit with what is missing, and keeps nothing half-done', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db);
		const r = researchers[0];
		const itemId = claimed(claimNextItem(db, r.id, batchId, T0));
		expect(() => submitReview(db, r.id, itemId, { scores: {}, ranks: {} }, at(1))).toThrow(
			'Score every response'
		);
		expect(db.select().from(reviews).all()).toHaveLength(0);
	});

	it('counts a double submit once', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db);
		const r = researchers[0];
		const itemId = claimed(claimNextItem(db, r.id, batchId, T0));
		const input = completeInput(db, itemId);
		const first = submitReview(db, r.id, itemId, input, at(1));
		const again = submitReview(db, r.id, itemId, input, at(1));
		expect(first.duplicate).toBe(false);
		expect(again).toMatchObject({ duplicate: true, reviewId: first.reviewId });
		expect(db.select().from(reviews).all()).toHaveLength(1);
		expect(db.select().from(items).where(eq(items.id, itemId)).get()!.submittedCount).toBe(1);
	});

	it('keeps a late submit as a draft when the item filled up meanwhile', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db, {
			researchers: 2,
			overlap: 1,
			file: 'trl-standard.jsonl'
		});
		const [a, b] = researchers;
		const itemId = claimed(claimNextItem(db, a.id, batchId, T0));
		saveDraft(db, a.id, itemId, completeInput(db, itemId), at(1));
		// a's lease lapses; b takes the same item (the other one too) and submits it.
		const late = new Date(at(1).getTime() + leaseMs() + 1000);
		let bItem = claimed(claimNextItem(db, b.id, batchId, late));
		if (bItem !== itemId) {
			submitReview(db, b.id, bItem, completeInput(db, bItem), late);
			bItem = claimed(claimNextItem(db, b.id, batchId, late));
		}
		expect(bItem).toBe(itemId);
		submitReview(db, b.id, itemId, completeInput(db, itemId), late);
		expect(() => submitReview(db, a.id, itemId, completeInput(db, itemId), late)).toThrow(
			'kept as a draft'
		);
		const mine = db.select().from(reviews).where(eq(reviews.userId, a.id)).get()!;
		expect(mine.status).toBe('draft');
		expect(db.select().from(items).where(eq(items.id, itemId)).get()!.submittedCount).toBe(1);
	});

	it('records the time spent and the trait version shown', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db);
		const r = researchers[0];
		const itemId = claimed(claimNextItem(db, r.id, batchId, T0));
		submitReview(db, r.id, itemId, completeInput(db, itemId), at(1));
		const review = db.select().from(reviews).get()!;
		expect(review.timeSpentMs).toBe(4200);
		expect(review.traitVersionId).toBeGreaterThan(0);
	});
});

describe('skips and edits', () => {
	it('needs a reason to skip', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db);
		const itemId = claimed(claimNextItem(db, researchers[0].id, batchId, T0));
		expect(() => skipItem(db, researchers[0].id, itemId, '  ')).toThrow('Say why');
	});

	it('edits a submitted review until the batch is locked, auditing old and new values', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db);
		const r = researchers[0];
		const itemId = claimed(claimNextItem(db, r.id, batchId, T0));
		const input = completeInput(db, itemId);
		submitReview(db, r.id, itemId, input, at(1));
		editSubmittedReview(db, r.id, itemId, { ...input, overallComment: 'changed my mind' }, at(2));
		const event = listAuditEvents(db, { action: 'review.edit' }, 1).rows[0];
		expect(event.oldValue).toMatchObject({ overallComment: 'clear call' });
		expect(event.newValue).toMatchObject({ overallComment: 'changed my mind' });
		expect(listMyReviews(db, r.id).rows[0]).toMatchObject({ itemId, status: 'submitted' });
		db.update(batches).set({ status: 'locked' }).where(eq(batches.id, batchId)).run();
		expect(() => editSubmittedReview(db, r.id, itemId, input, at(3))).toThrow('locked');
	});
});
