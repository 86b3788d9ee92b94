import { and, eq, gt, ne } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { openBatchWithResearchers } from '../../../../tests/support/review-fixtures';
import { handOver, importGeneratedBatch } from '../../../../tests/support/review-batches';
import { makeUser } from '../../../../tests/support/factories';
import type { AppDB } from '../db';
import { items, leases, reviews } from '../db/schema';
import {
	assignResearcher,
	claimNextItem,
	editSubmittedReview,
	leaseMs,
	loadReviewPage,
	removeAssignment,
	requireItemInBatch,
	saveDraft,
	skipItem,
	submitReview
} from './index';
import { T0, at, claimed, completeInput } from './testing';

const leaseHolders = (db: AppDB, itemId: number) =>
	db
		.select({ userId: leases.userId })
		.from(leases)
		.where(eq(leases.itemId, itemId))
		.all()
		.map((l) => l.userId);

const reviewOf = (db: AppDB, userId: number, itemId: number) =>
	db
		.select()
		.from(reviews)
		.where(and(eq(reviews.userId, userId), eq(reviews.itemId, itemId)))
		.get();

describe('writes need the item handed over', () => {
	it('refuses a save, submit or skip of an item the queue never handed, and writes nothing', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db);
		const [a, b] = researchers;
		const itemId = claimed(claimNextItem(db, a.id, batchId, T0));
		const input = completeInput(db, itemId);
		expect(() => saveDraft(db, b.id, itemId, input, at(1))).toThrow('not held for you');
		expect(() => submitReview(db, b.id, itemId, input, at(1))).toThrow('not held for you');
		expect(() => skipItem(db, b.id, itemId, 'bored', {}, at(1))).toThrow('not held for you');
		expect(reviewOf(db, b.id, itemId)).toBeUndefined();
		expect(leaseHolders(db, itemId)).toEqual([a.id]);
	});

	it('keeps a draft whose lease ran out, but takes a new lease only when the item has room', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db, { overlap: 1 });
		const [a, b] = researchers;
		const itemId = claimed(claimNextItem(db, a.id, batchId, T0));
		saveDraft(db, a.id, itemId, { overallComment: 'first' }, at(1));
		const liveHolders = (when: Date) =>
			db
				.select({ userId: leases.userId })
				.from(leases)
				.where(and(eq(leases.itemId, itemId), gt(leases.expiresAt, when)))
				.all()
				.map((l) => l.userId);
		// a's lease runs out and b is handed the only slot.
		const later = new Date(at(1).getTime() + leaseMs() + 1000);
		handOver(db, b.id, itemId, later);
		saveDraft(db, a.id, itemId, { overallComment: 'second' }, later);
		expect(reviewOf(db, a.id, itemId)).toMatchObject({ status: 'draft', overallComment: 'second' });
		expect(liveHolders(later)).toEqual([b.id]);
		// Once b's lease runs out too, a's next save takes the slot back.
		const muchLater = new Date(later.getTime() + leaseMs() + 1000);
		saveDraft(db, a.id, itemId, { overallComment: 'third' }, muchLater);
		expect(liveHolders(muchLater)).toEqual([a.id]);
	});

	it('holds the quota however many items the researcher still has open', async () => {
		const db = createTestDb();
		const { batchId, researchers, lead } = await openBatchWithResearchers(db, {
			researchers: 1,
			overlap: 3
		});
		const r = researchers[0];
		assignResearcher(db, lead.id, batchId, r.id, 1);
		const first = claimed(claimNextItem(db, r.id, batchId, T0));
		saveDraft(db, r.id, first, {}, at(1));
		const second = db
			.select({ id: items.id })
			.from(items)
			.where(and(eq(items.batchId, batchId), ne(items.id, first)))
			.get()!.id;
		handOver(db, r.id, second, at(2));
		submitReview(db, r.id, second, completeInput(db, second), at(3));
		expect(() => submitReview(db, r.id, first, completeInput(db, first), at(4))).toThrow(
			'reached your quota'
		);
		expect(() => skipItem(db, r.id, first, 'no time', {}, at(4))).toThrow('reached your quota');
		expect(reviewOf(db, r.id, first)!.status).toBe('draft');
		// The claim says so, and lets go of the item they still held.
		expect(claimNextItem(db, r.id, batchId, at(5))).toEqual({ itemId: null, reason: 'quota' });
		expect(leaseHolders(db, first)).toEqual([]);
	});

	it('refuses writes in a batch that is still a draft', async () => {
		const db = createTestDb();
		const lead = await makeUser(db, { role: 'admin' });
		const r = await makeUser(db);
		const { batchId, itemIds } = await importGeneratedBatch(db, lead.id, {
			items: 2,
			overlap: 2,
			draft: true
		});
		assignResearcher(db, lead.id, batchId, r.id, null);
		handOver(db, r.id, itemIds[0], T0);
		expect(() => saveDraft(db, r.id, itemIds[0], {}, at(1))).toThrow('draft');
		expect(() => submitReview(db, r.id, itemIds[0], completeInput(db, itemIds[0]), at(1))).toThrow(
			'draft'
		);
		expect(db.select().from(reviews).all()).toEqual([]);
	});

	it('refuses an item named under another batch', async () => {
		const db = createTestDb();
		const one = await openBatchWithResearchers(db);
		const two = await openBatchWithResearchers(db);
		const itemId = claimed(claimNextItem(db, two.researchers[0].id, two.batchId, T0));
		expect(() => requireItemInBatch(db, one.batchId, itemId)).toThrow('no such item');
		expect(() => requireItemInBatch(db, two.batchId, itemId)).not.toThrow();
	});
});

describe('reviews that can no longer change', () => {
	it('freezes a submitted calibration review once its labels are shown', async () => {
		const db = createTestDb();
		const { batchId, researchers } = await openBatchWithResearchers(db, { calibration: true });
		const r = researchers[0];
		const itemId = claimed(claimNextItem(db, r.id, batchId, T0));
		const input = completeInput(db, itemId);
		submitReview(db, r.id, itemId, input, at(1));
		expect(
			loadReviewPage(db, r.id, batchId, itemId, at(2))!.responses.some((x) => 'referenceLabel' in x)
		).toBe(true);
		expect(() =>
			editSubmittedReview(db, r.id, itemId, { ...input, overallComment: 'peeked' }, at(2))
		).toThrow('calibration review is final');
		expect(
			submitReview(db, r.id, itemId, { ...input, overallComment: 'peeked' }, at(2))
		).toMatchObject({
			duplicate: true
		});
		expect(reviewOf(db, r.id, itemId)!.overallComment).toBe('clear call');
	});

	it('refuses a removed researcher every write and the review page; their reviews stay', async () => {
		const db = createTestDb();
		const { batchId, researchers, lead } = await openBatchWithResearchers(db);
		const r = researchers[0];
		const itemId = claimed(claimNextItem(db, r.id, batchId, T0));
		const input = completeInput(db, itemId);
		submitReview(db, r.id, itemId, input, at(1));
		removeAssignment(db, lead.id, batchId, r.id);
		expect(() => editSubmittedReview(db, r.id, itemId, input, at(2))).toThrow('not assigned');
		expect(() => loadReviewPage(db, r.id, batchId, itemId, at(2))).toThrow('not assigned');
		expect(reviewOf(db, r.id, itemId)).toMatchObject({ status: 'submitted' });
	});
});
