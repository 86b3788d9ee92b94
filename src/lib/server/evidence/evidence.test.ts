import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { openBatchWithResearchers } from '../../../../tests/support/review-fixtures';
import { MAX_EVIDENCE_SPANS, segmentText } from '$lib/evidence';
import { listAuditEvents } from '../audit';
import type { AppDB } from '../db';
import { evidenceSpans, responses, reviews } from '../db/schema';
import { readItem, readItemChunks } from '../item-records';
import {
	claimNextItem,
	editSubmittedReview,
	loadReviewPage,
	saveDraft,
	submitReview
} from '../reviews';
import { T0, at, claimed, completeInput } from '../reviews/testing';

async function heldItem(options: { calibration?: boolean } = {}) {
	const db = createTestDb();
	const { batchId, researchers } = await openBatchWithResearchers(db, options);
	const userId = researchers[0].id;
	const itemId = claimed(claimNextItem(db, userId, batchId, T0));
	const texts = db
		.select({ id: responses.id, content: responses.content })
		.from(responses)
		.where(eq(responses.itemId, itemId))
		.all();
	return { db, batchId, userId, itemId, texts };
}

const spanCount = (db: AppDB) => db.select().from(evidenceSpans).all().length;

describe('evidence in the review payload', () => {
	it.each([
		[{ responseId: 0, start: 0, end: 0, stance: 'for' }, 'start before end'],
		[{ responseId: 0, start: 3, end: 1, stance: 'for' }, 'start before end'],
		[{ responseId: 0, start: -1, end: 2, stance: 'for' }, 'cannot be negative'],
		[{ responseId: 0, start: 0.5, end: 2, stance: 'for' }, 'whole numbers'],
		[{ responseId: 0, start: 0, end: 2, stance: 'neutral' }, 'either for or against'],
		[{ responseId: 0, start: 0, end: 2, stance: 'for', note: 'x'.repeat(2001) }, '2,000'],
		[{ responseId: 0, start: 0, end: 1e6, stance: 'for' }, 'past the end of its response'],
		[{ responseId: -5, start: 0, end: 1, stance: 'for' }, 'not in this item']
	])('refuses %j with a message (%s) and writes nothing', async (span, message) => {
		const { db, userId, itemId, texts } = await heldItem();
		const evidence = [{ ...span, responseId: span.responseId || texts[0].id }];
		expect(() =>
			saveDraft(db, userId, itemId, { ...completeInput(db, itemId), evidence }, at(1))
		).toThrow(message);
		expect(db.select().from(reviews).all()).toHaveLength(0);
		expect(spanCount(db)).toBe(0);
	});

	it('refuses a response of another item', async () => {
		const { db, userId, itemId } = await heldItem();
		const other = db
			.select()
			.from(responses)
			.all()
			.find((r) => r.itemId !== itemId)!;
		const evidence = [{ responseId: other.id, start: 0, end: 1, stance: 'for' }];
		expect(() => saveDraft(db, userId, itemId, { evidence }, at(1))).toThrow('not in this item');
	});

	it(`refuses more than ${MAX_EVIDENCE_SPANS} spans`, async () => {
		const { db, userId, itemId, texts } = await heldItem();
		const evidence = Array.from({ length: MAX_EVIDENCE_SPANS + 1 }, () => ({
			responseId: texts[0].id,
			start: 0,
			end: 1,
			stance: 'for'
		}));
		expect(() => saveDraft(db, userId, itemId, { evidence }, at(1))).toThrow('at most 50');
		expect(spanCount(db)).toBe(0);
	});

	it('takes a span that ends exactly at the end of the text, counted in UTF-16 units', async () => {
		const { db, userId, itemId, texts } = await heldItem();
		const [r] = texts;
		const evidence = [{ responseId: r.id, start: 0, end: r.content.length, stance: 'against' }];
		saveDraft(db, userId, itemId, { evidence }, at(1));
		expect(spanCount(db)).toBe(1);
	});
});

describe('evidence saved with the review', () => {
	it('round-trips through drafts, submit and the lead reads, replacing spans on each save', async () => {
		const { db, batchId, userId, itemId, texts } = await heldItem();
		const [a, b] = texts;
		const first = [
			{ responseId: a.id, start: 0, end: 4, stance: 'for', note: '  warm opening  ' },
			{ responseId: b.id, start: 2, end: 6, stance: 'against' }
		];
		saveDraft(db, userId, itemId, { ...completeInput(db, itemId), evidence: first }, at(1));
		const page = loadReviewPage(db, userId, batchId, itemId, at(2))!;
		expect(page.review?.evidence).toEqual([
			{ responseId: a.id, start: 0, end: 4, stance: 'for', note: 'warm opening' },
			{ responseId: b.id, start: 2, end: 6, stance: 'against', note: null }
		]);
		// The next save drops the second span: what was sent is what is kept.
		const second = [first[0]];
		submitReview(db, userId, itemId, { ...completeInput(db, itemId), evidence: second }, at(3));
		const item = readItem(db.$client, batchId, itemId)!;
		expect(item.reviews[0].evidence).toEqual([
			{ responseId: a.id, start: 0, end: 4, stance: 'for', note: 'warm opening' }
		]);
		// Read without texts (the measures), reviews carry no spans.
		const [chunk] = readItemChunks(db.$client, batchId, { withContent: false });
		expect(chunk.find((i) => i.id === itemId)!.reviews[0].evidence).toBeUndefined();
	});

	it('keeps nothing when the submit is refused', async () => {
		const { db, userId, itemId, texts } = await heldItem();
		const evidence = [{ responseId: texts[0].id, start: 0, end: 2, stance: 'for' }];
		expect(() => submitReview(db, userId, itemId, { evidence }, at(1))).toThrow('Score every');
		expect(spanCount(db)).toBe(0);
	});

	it('audits a change of evidence on a submitted review, and removes spans with the review', async () => {
		const { db, userId, itemId, texts } = await heldItem();
		const input = completeInput(db, itemId);
		submitReview(db, userId, itemId, input, at(1));
		const evidence = [{ responseId: texts[1].id, start: 1, end: 3, stance: 'against' }];
		editSubmittedReview(db, userId, itemId, { ...input, evidence }, at(2));
		const [event] = listAuditEvents(db, { action: 'review.edit' }, 1).rows;
		expect(event.oldValue).not.toHaveProperty('evidence');
		expect(event.newValue).toMatchObject({ evidence: [{ start: 1, end: 3, stance: 'against' }] });
		db.delete(reviews).run();
		expect(spanCount(db)).toBe(0);
	});

	it('refuses evidence changes on a final calibration review like any other change', async () => {
		const { db, userId, itemId, texts } = await heldItem({ calibration: true });
		const input = completeInput(db, itemId);
		submitReview(db, userId, itemId, input, at(1));
		const evidence = [{ responseId: texts[0].id, start: 0, end: 1, stance: 'for' }];
		expect(() => editSubmittedReview(db, userId, itemId, { ...input, evidence }, at(2))).toThrow();
		expect(spanCount(db)).toBe(0);
	});
});

describe('segmentText', () => {
	it('cuts the text at span edges, the later span showing where two overlap', () => {
		expect(
			segmentText('abcdefgh', [
				{ start: 1, end: 4, stance: 'for' },
				{ start: 3, end: 6, stance: 'against' }
			])
		).toEqual([
			{ text: 'a', stance: null },
			{ text: 'bc', stance: 'for' },
			{ text: 'def', stance: 'against' },
			{ text: 'gh', stance: null }
		]);
		expect(segmentText('ab', [])).toEqual([{ text: 'ab', stance: null }]);
	});
});
