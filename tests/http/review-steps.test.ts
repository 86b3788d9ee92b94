// The review page's JSON endpoints (src/routes/review/[batchId]/steps.server.ts): the checks
// of the form actions, refusals that write nothing, and the answers the enhanced page applies.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leases, reviews } from '../../src/lib/server/db/schema';
import { claimNextItem, submitReview } from '../../src/lib/server/reviews';
import { claimed, completeInput } from '../../src/lib/server/reviews/testing';
import { makeUser } from '../support/factories';
import { sessionCookieFor } from '../support/http';
import { openBatchWithResearchers } from '../support/review-fixtures';
import { startServer, type TestServer } from '../support/server';
import { snapshotDatabase } from '../support/snapshot';

let server: TestServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

type Answer = {
	type: string;
	status?: number;
	location?: string;
	data?: { savedAt?: string; errors?: Record<string, string> };
	message?: string;
};

const cookies = new Map<number, string>();
/** One session per researcher, made before any snapshot: making it is a write of its own. */
const cookieOf = (userId: number) => {
	if (!cookies.has(userId)) cookies.set(userId, sessionCookieFor(server.db, userId));
	return cookies.get(userId)!;
};

async function post(path: string, userId: number, body: unknown) {
	const res = await fetch(server.url + path, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: server.url,
			accept: 'application/json',
			'content-type': 'application/json',
			cookie: cookieOf(userId)
		},
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});
	return { status: res.status, answer: (await res.json()) as Answer };
}

/** Posts and expects a refusal with `status` and `message` that changed nothing. */
async function expectRefused(
	path: string,
	userId: number,
	body: unknown,
	status: number,
	message: RegExp
) {
	cookieOf(userId);
	const before = snapshotDatabase(server.db);
	const { status: got, answer } = await post(path, userId, body);
	expect(got, JSON.stringify(answer)).toBe(status);
	// A failure names its field (the form as a whole, or the skip's reason); an error page not.
	const errors = Object.values(answer.data?.errors ?? {});
	expect(errors.length ? errors.join(' ') : answer.message).toMatch(message);
	expect(snapshotDatabase(server.db)).toEqual(before);
}

const reviewOf = (userId: number, itemId: number) =>
	server.db
		.select()
		.from(reviews)
		.where(and(eq(reviews.userId, userId), eq(reviews.itemId, itemId)))
		.get();

describe('the review steps as JSON', () => {
	it('claims, saves a draft and submits, answering what the page applies', async () => {
		const { batchId, researchers } = await openBatchWithResearchers(server.db, { overlap: 2 });
		const me = researchers[0].id;
		const next = await post(`/review/${batchId}/next`, me, {});
		expect(next.status).toBe(200);
		expect(next.answer).toMatchObject({ type: 'redirect', status: 303 });
		const itemId = Number(next.answer.location!.match(/\/items\/(\d+)$/)?.[1]);
		expect(next.answer.location).toBe(`/review/${batchId}/items/${itemId}`);

		const payload = completeInput(server.db, itemId);
		const saved = await post(`/review/${batchId}/items/${itemId}/save`, me, { payload });
		expect(saved.answer.type).toBe('success');
		expect(Date.parse(saved.answer.data!.savedAt!)).not.toBeNaN();
		expect(reviewOf(me, itemId)?.status).toBe('draft');

		const submitted = await post(`/review/${batchId}/items/${itemId}/submit`, me, { payload });
		expect(submitted.answer.type).toBe('redirect');
		expect(submitted.answer.location).toMatch(new RegExp(`^/review/${batchId}/items/\\d+$`));
		expect(submitted.answer.location).not.toBe(`/review/${batchId}/items/${itemId}`);
		expect(reviewOf(me, itemId)?.status).toBe('submitted');
	});

	it('skips with a reason and goes on; without one it refuses and writes nothing', async () => {
		const { batchId, researchers } = await openBatchWithResearchers(server.db, { overlap: 2 });
		const me = researchers[0].id;
		const itemId = claimed(claimNextItem(server.db, me, batchId));
		const path = `/review/${batchId}/items/${itemId}/skip`;
		await expectRefused(path, me, { payload: {} }, 400, /Say why you skip this item/);
		const skipped = await post(path, me, { reason: 'not my field', payload: {} });
		expect(skipped.answer.type).toBe('redirect');
		expect(reviewOf(me, itemId)).toMatchObject({ status: 'skipped', skipReason: 'not my field' });
	});

	it('says so on the batch page when the researcher has nothing left', async () => {
		const { batchId, researchers } = await openBatchWithResearchers(server.db, { overlap: 1 });
		const [me, other] = researchers.map((r) => r.id);
		for (let i = 0; i < 3; i++) {
			const itemId = claimed(claimNextItem(server.db, other, batchId));
			submitReview(server.db, other, itemId, completeInput(server.db, itemId));
		}
		const { status, answer } = await post(`/review/${batchId}/next`, me, {});
		expect(status).toBe(200);
		expect(answer).toMatchObject({ type: 'failure', status: 200 });
		expect(answer.data?.errors?.form).toMatch(/Nothing left for you in this batch/);
	});

	it('refuses a batch the researcher is not assigned to, writing nothing', async () => {
		const { batchId, researchers } = await openBatchWithResearchers(server.db);
		const itemId = claimed(claimNextItem(server.db, researchers[0].id, batchId));
		const stranger = (await makeUser(server.db, { role: 'researcher' })).id;
		const payload = completeInput(server.db, itemId);
		await expectRefused(`/review/${batchId}/next`, stranger, {}, 403, /not assigned/);
		for (const step of ['save', 'submit'] as const) {
			const path = `/review/${batchId}/items/${itemId}/${step}`;
			await expectRefused(path, stranger, { payload }, 403, /not assigned/);
		}
		await expectRefused(
			`/review/${batchId}/items/${itemId}/skip`,
			stranger,
			{ reason: 'not mine', payload: {} },
			403,
			/not assigned/
		);
	});

	it("refuses another researcher's item, and an item under another batch's address", async () => {
		const { batchId, researchers } = await openBatchWithResearchers(server.db, { overlap: 2 });
		const [owner, other] = researchers.map((r) => r.id);
		const itemId = claimed(claimNextItem(server.db, owner, batchId));
		const payload = completeInput(server.db, itemId);
		// Held by the owner: the other researcher was never handed it.
		for (const step of ['save', 'submit'] as const) {
			const path = `/review/${batchId}/items/${itemId}/${step}`;
			await expectRefused(path, other, { payload }, 409, /not held for you/);
		}
		const elsewhere = await openBatchWithResearchers(server.db, { overlap: 2 });
		await expectRefused(
			`/review/${elsewhere.batchId}/items/${itemId}/submit`,
			owner,
			{ payload },
			404,
			/no such item in this batch/
		);
	});

	it('refuses a submit past the overlap, keeping the work as a draft', async () => {
		const { batchId, researchers } = await openBatchWithResearchers(server.db, {
			overlap: 1,
			researchers: 2
		});
		const [late, early] = researchers.map((r) => r.id);
		const itemId = claimed(claimNextItem(server.db, late, batchId));
		const payload = completeInput(server.db, itemId);
		await post(`/review/${batchId}/items/${itemId}/save`, late, { payload });
		// The lease lapses and someone else fills the item's only slot.
		server.db.delete(leases).where(eq(leases.itemId, itemId)).run();
		expect(claimed(claimNextItem(server.db, early, batchId))).toBe(itemId);
		submitReview(server.db, early, itemId, payload);

		const { status, answer } = await post(`/review/${batchId}/items/${itemId}/submit`, late, {
			payload
		});
		expect(status).toBe(409);
		expect(answer.data?.errors?.form).toMatch(/got all the reviews it needs/);
		expect(reviewOf(late, itemId)?.status).toBe('draft');
	});

	it('refuses a body it cannot read with a clear 400, writing nothing', async () => {
		const { batchId, researchers } = await openBatchWithResearchers(server.db);
		const me = researchers[0].id;
		const itemId = claimed(claimNextItem(server.db, me, batchId));
		const path = `/review/${batchId}/items/${itemId}/submit`;
		const unreadable = /The review could not be read: reload the page/;
		await expectRefused(path, me, 'not json', 400, unreadable);
		await expectRefused(path, me, '[1, 2]', 400, unreadable);
		await expectRefused(path, me, { payload: { scores: 'high' } }, 400, unreadable);
		await expectRefused(
			path,
			me,
			{ payload: { scores: {}, ranks: {} } },
			400,
			/Score every response/
		);
	});

	it('sends a signed-out request to log in, writing nothing', async () => {
		const { batchId, researchers } = await openBatchWithResearchers(server.db);
		const itemId = claimed(claimNextItem(server.db, researchers[0].id, batchId));
		const before = snapshotDatabase(server.db);
		const res = await fetch(`${server.url}/review/${batchId}/items/${itemId}/submit`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: server.url, 'content-type': 'application/json' },
			body: JSON.stringify({ payload: completeInput(server.db, itemId) })
		});
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
		expect(snapshotDatabase(server.db)).toEqual(before);
	});
});
