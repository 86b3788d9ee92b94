// Requests a browser never sends, crafted the way a researcher could: writes to items the queue
// did not hand them, past their quota, in a draft batch, over someone else's claim, to a
// calibration review after its labels were shown, and after their assignment was removed.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leases, reviewResponses, reviews } from '../../src/lib/server/db/schema';
import { assignResearcher, claimNextItem, removeAssignment } from '../../src/lib/server/reviews';
import { completeInput } from '../../src/lib/server/reviews/testing';
import { makeUser } from '../support/factories';
import { postAction, sessionCookieFor } from '../support/http';
import { importGeneratedBatch } from '../support/review-batches';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

type Action = 'save' | 'submit' | 'skip' | 'update';

/** Posts one of the review page's actions for an item, as the page's forms would. */
function post(userId: number, batchId: number, itemId: number, action: Action, comment = '') {
	const fields: Record<string, string> = {
		payload: JSON.stringify({ ...completeInput(server.db, itemId), overallComment: comment })
	};
	if (action === 'skip') fields.reason = 'not my field';
	return postAction(
		server.url,
		`/review/${batchId}/items/${itemId}?/${action}`,
		fields,
		sessionCookieFor(server.db, userId)
	);
}

function pageStatus(userId: number, batchId: number, itemId: number) {
	return fetch(`${server.url}/review/${batchId}/items/${itemId}`, {
		headers: { cookie: sessionCookieFor(server.db, userId) },
		redirect: 'manual'
	}).then(async (res) => ({ status: res.status, html: await res.text() }));
}

function reviewOf(userId: number, itemId: number) {
	return server.db
		.select()
		.from(reviews)
		.where(and(eq(reviews.userId, userId), eq(reviews.itemId, itemId)))
		.get();
}

function leasesOn(itemId: number) {
	return server.db.select().from(leases).where(eq(leases.itemId, itemId)).all();
}

async function setUp(options: {
	items?: number;
	overlap?: number;
	calibration?: boolean;
	draft?: boolean;
	quotas?: (number | null)[];
}) {
	const lead = await makeUser(server.db, { role: 'admin' });
	const { batchId, itemIds } = await importGeneratedBatch(server.db, lead.id, {
		items: options.items ?? 3,
		overlap: options.overlap ?? 2,
		calibration: options.calibration,
		draft: options.draft
	});
	const researchers: number[] = [];
	for (const quota of options.quotas ?? [null, null]) {
		const user = await makeUser(server.db, { role: 'researcher' });
		assignResearcher(server.db, lead.id, batchId, user.id, quota);
		researchers.push(user.id);
	}
	return { leadId: lead.id, batchId, itemIds, researchers };
}

describe('writes to items the queue did not hand out', () => {
	it('are refused, for every action, and write nothing', async () => {
		const { batchId, itemIds, researchers } = await setUp({});
		const [r] = researchers;
		for (const action of ['save', 'submit', 'skip'] as const) {
			const result = await post(r, batchId, itemIds[0], action);
			expect(result, action).toMatchObject({ type: 'failure', status: 409 });
			expect(result.data, action).toContain('not held for you');
		}
		expect(reviewOf(r, itemIds[0])).toBeUndefined();
		expect(leasesOn(itemIds[0])).toEqual([]);
	});

	it('cannot push another researcher’s live claim out of the last slot', async () => {
		const { batchId, researchers } = await setUp({ overlap: 1 });
		const [holder, other] = researchers;
		const itemId = claimNextItem(server.db, holder, batchId).itemId!;
		expect(await post(other, batchId, itemId, 'save')).toMatchObject({ status: 409 });
		expect(await post(other, batchId, itemId, 'submit')).toMatchObject({ status: 409 });
		expect(leasesOn(itemId).map((l) => l.userId)).toEqual([holder]);
		expect(reviewOf(other, itemId)).toBeUndefined();
	});

	it('cannot take a researcher past their quota', async () => {
		const { batchId, itemIds, researchers } = await setUp({ quotas: [1] });
		const [r] = researchers;
		const first = claimNextItem(server.db, r, batchId).itemId!;
		expect(await post(r, batchId, first, 'submit')).toMatchObject({ type: 'redirect' });
		for (const itemId of itemIds.filter((id) => id !== first)) {
			expect(await post(r, batchId, itemId, 'save')).toMatchObject({ status: 409 });
			expect(await post(r, batchId, itemId, 'submit')).toMatchObject({ status: 409 });
		}
		expect(server.db.select().from(reviews).where(eq(reviews.userId, r)).all()).toHaveLength(1);
	});

	it('are refused in a batch that is still a draft', async () => {
		const { batchId, itemIds, researchers } = await setUp({ draft: true });
		const result = await post(researchers[0], batchId, itemIds[0], 'save');
		expect(result).toMatchObject({ type: 'failure', status: 409 });
		expect(result.data).toContain('draft');
		expect(server.db.select().from(reviews).where(eq(reviews.batchId, batchId)).all()).toEqual([]);
		expect(server.db.select().from(leases).where(eq(leases.batchId, batchId)).all()).toEqual([]);
	});

	it('are refused when the item belongs to another batch than the address says', async () => {
		const one = await setUp({});
		const two = await setUp({});
		const r = one.researchers[0];
		assignResearcher(server.db, two.leadId, two.batchId, r, null);
		const itemId = claimNextItem(server.db, r, two.batchId).itemId!;
		expect(await post(r, one.batchId, itemId, 'save')).toMatchObject({ status: 404 });
		expect((await pageStatus(r, one.batchId, itemId)).status).toBe(404);
		expect(reviewOf(r, itemId)).toBeUndefined();
	});
});

describe('a calibration review', () => {
	it('is final once submitted: its labels are shown and no write changes it', async () => {
		const { batchId, researchers } = await setUp({ calibration: true });
		const [r] = researchers;
		const itemId = claimNextItem(server.db, r, batchId).itemId!;
		expect(await post(r, batchId, itemId, 'submit', 'first')).toMatchObject({
			type: 'redirect',
			location: `/review/${batchId}/items/${itemId}?submitted=1`
		});
		const before = server.db
			.select()
			.from(reviewResponses)
			.where(eq(reviewResponses.reviewId, reviewOf(r, itemId)!.id))
			.all();
		const page = await pageStatus(r, batchId, itemId);
		expect(page.html).toContain('A calibration review is final');
		expect(page.html).not.toContain('Save changes');

		const update = await post(r, batchId, itemId, 'update', 'changed after seeing the labels');
		expect(update).toMatchObject({ type: 'failure', status: 409 });
		expect(update.data).toContain('calibration review is final');
		expect(await post(r, batchId, itemId, 'save', 'again')).toMatchObject({ status: 409 });
		await post(r, batchId, itemId, 'submit', 'again');
		expect(reviewOf(r, itemId)).toMatchObject({ status: 'submitted', overallComment: 'first' });
		expect(
			server.db
				.select()
				.from(reviewResponses)
				.where(eq(reviewResponses.reviewId, reviewOf(r, itemId)!.id))
				.all()
		).toEqual(before);
	});
});

describe('a researcher removed from a batch', () => {
	it('can neither open nor change their reviews there, which stay as they were', async () => {
		const { leadId, batchId, researchers } = await setUp({ overlap: 2 });
		const [r] = researchers;
		const done = claimNextItem(server.db, r, batchId).itemId!;
		expect(await post(r, batchId, done, 'submit', 'kept')).toMatchObject({ type: 'redirect' });
		const draft = claimNextItem(server.db, r, batchId).itemId!;
		expect(await post(r, batchId, draft, 'save', 'draft')).toMatchObject({ type: 'success' });
		removeAssignment(server.db, leadId, batchId, r);

		for (const [itemId, action] of [
			[draft, 'save'],
			[draft, 'submit'],
			[draft, 'skip'],
			[done, 'update']
		] as const) {
			const result = await post(r, batchId, itemId, action, 'after removal');
			expect(result, action).toMatchObject({ type: 'failure', status: 403 });
			expect(result.data, action).toContain('not assigned');
		}
		expect((await pageStatus(r, batchId, done)).status).toBe(403);
		expect((await pageStatus(r, batchId, draft)).status).toBe(403);
		expect(reviewOf(r, done)).toMatchObject({ status: 'submitted', overallComment: 'kept' });
		expect(reviewOf(r, draft)).toMatchObject({ status: 'draft', overallComment: 'draft' });
	});
});
