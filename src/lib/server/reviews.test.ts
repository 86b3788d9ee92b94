import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../tests/support/db';
import { makeUser } from '../../../tests/support/factories';
import { openBatchWithResearchers } from '../../../tests/support/review-fixtures';
import { listAuditEvents } from './audit';
import type { AppDB } from './db';
import { batches, items, responses, reviewResponses, reviews } from './db/schema';
import {
	assignResearcher,
	claimNextItem,
	editSubmittedReview,
	leaseMs,
	listMyReviews,
	researcherProgress,
	saveDraft,
	setOverlap,
	skipItem,
	submitReview
} from './reviews';

const T0 = new Date('2026-05-01T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** A complete review: scores descending in file order, ranks to match. */
function completeInput(db: AppDB, itemId: number) {
	const ids = db
		.select({ id: responses.id })
		.from(responses)
		.where(eq(responses.itemId, itemId))
		.orderBy(asc(responses.position))
		.all()
		.map((r) => r.id);
	return {
		scores: Object.fromEntries(ids.map((id, i) => [id, 7 - i])),
		ranks: Object.fromEntries(ids.map((id, i) => [id, i + 1])),
		comments: { [ids[0]]: 'best' },
		overallComment: 'clear call',
		flags: [],
		timeSpentMs: 4200
	};
}

function claimed(result: ReturnType<typeof claimNextItem>): number {
	if (result.itemId === null) throw new Error(`no item: ${result.reason}`);
	return result.itemId;
}

describe('the queue', () => {
	it('hands out the least-reviewed items first and never beyond the overlap', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db, {
			researchers: 4,
			overlap: 1
		});
		const handed = researchers.map((r) => claimNextItem(db, r.id, batchId, T0).itemId);
		// Three items, overlap 1: three researchers get one each, the fourth gets nothing.
		expect(new Set(handed.slice(0, 3)).size).toBe(3);
		expect(handed[3]).toBeNull();
	});

	it('gives a returning researcher the item they still hold, and renews the lease', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db);
		const first = claimed(claimNextItem(db, researchers[0].id, batchId, T0));
		expect(claimNextItem(db, researchers[0].id, batchId, at(20)).itemId).toBe(first);
		// Renewed at minute 20, so still held at minute 45.
		expect(claimNextItem(db, researchers[0].id, batchId, at(45)).itemId).toBe(first);
	});

	it('returns an item to the pool when its lease expires', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db, {
			researchers: 4,
			overlap: 1
		});
		const [a, b, c, d] = researchers;
		const taken = [a, b, c].map((r) => claimed(claimNextItem(db, r.id, batchId, T0)));
		expect(claimNextItem(db, d.id, batchId, at(1)).itemId).toBeNull();
		const later = new Date(T0.getTime() + leaseMs() + 1000);
		expect(taken).toContain(claimed(claimNextItem(db, d.id, batchId, later)));
	});

	it('skips items the researcher reviewed or skipped, and respects the quota', async () => {
		const db = createTestDb();
		const { batchId, researchers, lead } = await openBatchWithResearchers(db, {
			researchers: 1,
			overlap: 3
		});
		const r = researchers[0];
		const one = claimed(claimNextItem(db, r.id, batchId, T0));
		submitReview(db, r.id, one, completeInput(db, one), at(1));
		const two = claimed(claimNextItem(db, r.id, batchId, at(2)));
		expect(two).not.toBe(one);
		skipItem(db, r.id, two, 'prompt is garbled', {}, at(3));
		assignResearcher(db, lead.id, batchId, r.id, 2);
		expect(claimNextItem(db, r.id, batchId, at(4))).toEqual({ itemId: null, reason: 'quota' });
		assignResearcher(db, lead.id, batchId, r.id, null);
		const three = claimed(claimNextItem(db, r.id, batchId, at(5)));
		expect([one, two]).not.toContain(three);
		assignResearcher(db, lead.id, batchId, r.id, 2);
		expect(researcherProgress(db, r.id, batchId)).toEqual({
			submitted: 1,
			skipped: 1,
			done: 2,
			assigned: 2
		});
	});

	it('refuses researchers who are not assigned, and batches that are not open', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db);
		const stranger = await makeUser(db);
		expect(() => claimNextItem(db, stranger.id, batchId)).toThrow('not assigned');
		db.update(batches).set({ status: 'locked' }).where(eq(batches.id, batchId)).run();
		expect(() => claimNextItem(db, researchers[0].id, batchId)).toThrow('locked');
	});
});

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

describe('skips, edits and overlap', () => {
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
});
