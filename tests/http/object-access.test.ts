// Object-level access, beside the role walk of authorization.test.ts: a researcher, signed in
// and assigned, still cannot see or touch another researcher's item, draft or review (through
// the review page, its actions or My reviews), nor anything in a batch they are not assigned to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	assignResearcher,
	claimNextItem,
	saveDraft,
	submitReview
} from '../../src/lib/server/reviews';
import { completeInput } from '../../src/lib/server/reviews/testing';
import { makeUser } from '../support/factories';
import { postAction, sessionCookieFor } from '../support/http';
import { importGeneratedBatch } from '../support/review-batches';
import { startServer, type TestServer } from '../support/server';
import { snapshotDatabase } from '../support/snapshot';

// `next` is left out: it names no item, and hands the caller their own next one.
const ACTIONS = ['save', 'submit', 'update', 'skip', 'renew'] as const;

let server: TestServer;
let owner: number;
let other: number;
/** A batch both are assigned to, and one only the owner is. */
let shared: { batchId: number; itemIds: number[] };
let ownersOnly: { batchId: number; itemIds: number[] };
let draftItem: number;
let submittedItem: number;
let elsewhereItem: number;

beforeAll(async () => {
	server = await startServer();
	const admin = await makeUser(server.db, { role: 'admin' });
	owner = (await makeUser(server.db)).id;
	other = (await makeUser(server.db)).id;
	shared = await importGeneratedBatch(server.db, admin.id, { items: 3, overlap: 2 });
	ownersOnly = await importGeneratedBatch(server.db, admin.id, { items: 2, overlap: 2 });
	for (const userId of [owner, other]) {
		assignResearcher(server.db, admin.id, shared.batchId, userId, null);
	}
	assignResearcher(server.db, admin.id, ownersOnly.batchId, owner, null);

	// The owner submits one item and keeps a draft of another, each with words of their own.
	submittedItem = claimNextItem(server.db, owner, shared.batchId).itemId!;
	submitReview(server.db, owner, submittedItem, {
		...completeInput(server.db, submittedItem),
		overallComment: 'the owner’s submitted verdict'
	});
	draftItem = claimNextItem(server.db, owner, shared.batchId).itemId!;
	saveDraft(server.db, owner, draftItem, {
		...completeInput(server.db, draftItem),
		overallComment: 'the owner’s private draft'
	});
	elsewhereItem = claimNextItem(server.db, owner, ownersOnly.batchId).itemId!;
});
afterAll(() => server?.stop());

const cookie = (userId: number) => sessionCookieFor(server.db, userId);

function fieldsFor(itemId: number): Record<string, string> {
	const payload = { ...completeInput(server.db, itemId), overallComment: 'written over' };
	return { payload: JSON.stringify(payload), reason: 'not my field' };
}

async function getPage(userId: number, path: string) {
	const res = await fetch(server.url + path, {
		headers: { cookie: cookie(userId) },
		redirect: 'manual'
	});
	return { status: res.status, html: await res.text() };
}

/** Every review action on an item, as `userId`: each must be refused and write nothing. */
async function expectEveryActionRefused(userId: number, batchId: number, itemId: number) {
	for (const action of ACTIONS) {
		const session = cookie(userId);
		const before = snapshotDatabase(server.db);
		const path = `/review/${batchId}/items/${itemId}?/${action}`;
		const result = await postAction(server.url, path, fieldsFor(itemId), session);
		const label = `${action} → ${JSON.stringify(result)}`;
		if (action === 'renew' && result.type === 'success') {
			// Renewing answers whether the caller holds the item: here, no.
			expect(JSON.parse(result.data!), label).toEqual([{ held: 1 }, false]);
		} else {
			expect(['failure', 'error'], label).toContain(result.type);
			expect([403, 404, 409], label).toContain(result.status);
		}
		expect(snapshotDatabase(server.db), label).toEqual(before);
	}
}

describe('another researcher’s work in a shared batch', () => {
	it('is not shown on the review page', async () => {
		for (const itemId of [draftItem, submittedItem]) {
			const page = await getPage(other, `/review/${shared.batchId}/items/${itemId}`);
			expect(page.status, String(itemId)).toBe(404);
			expect(page.html).not.toContain('the owner’s');
		}
		// The owner sees their own, so the 404 above is about whose it is.
		const own = await getPage(owner, `/review/${shared.batchId}/items/${draftItem}`);
		expect(own.status).toBe(200);
		expect(own.html).toContain('the owner’s private draft');
	});

	it('cannot be saved over, submitted, edited, skipped or renewed', async () => {
		await expectEveryActionRefused(other, shared.batchId, draftItem);
		await expectEveryActionRefused(other, shared.batchId, submittedItem);
	});

	it('is not in their My reviews, which lists only their own', async () => {
		const mine = claimNextItem(server.db, other, shared.batchId).itemId!;
		submitReview(server.db, other, mine, completeInput(server.db, mine));
		const page = await getPage(other, '/reviews');
		expect(page.status).toBe(200);
		expect(page.html).toContain(`/review/${shared.batchId}/items/${mine}"`);
		for (const itemId of [draftItem, submittedItem].filter((id) => id !== mine)) {
			expect(page.html).not.toContain(`/review/${shared.batchId}/items/${itemId}"`);
		}
		expect(page.html).not.toContain('the owner’s');
	});
});

describe('a batch the researcher is not assigned to', () => {
	it('is closed: its page, its queue and its items', async () => {
		expect((await getPage(other, `/review/${ownersOnly.batchId}`)).status).toBe(403);
		const page = await getPage(other, `/review/${ownersOnly.batchId}/items/${elsewhereItem}`);
		expect(page.status).toBe(403);

		const session = cookie(other);
		const before = snapshotDatabase(server.db);
		const next = await postAction(server.url, `/review/${ownersOnly.batchId}?/next`, {}, session);
		expect(next).toMatchObject({ type: 'failure', status: 403 });
		expect(snapshotDatabase(server.db)).toEqual(before);
		await expectEveryActionRefused(other, ownersOnly.batchId, elsewhereItem);
	});

	it('cannot be reached through a batch they are assigned to', async () => {
		// The address names the shared batch; the item is the other batch's.
		await expectEveryActionRefused(other, shared.batchId, elsewhereItem);
	});
});
