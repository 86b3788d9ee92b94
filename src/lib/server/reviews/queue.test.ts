import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import { openBatchWithResearchers } from '../../../../tests/support/review-fixtures';
import { batches } from '../db/schema';
import {
	assignResearcher,
	claimNextItem,
	getQueueProgress,
	leaseMs,
	skipItem,
	submitReview
} from './index';
import { T0, at, claimed, completeInput } from './testing';

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
		expect(getQueueProgress(db, r.id, batchId)).toEqual({
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
