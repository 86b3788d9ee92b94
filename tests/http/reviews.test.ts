import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { items, leases, responses, reviews } from '../../src/lib/server/db/schema';
import { claimNextItem } from '../../src/lib/server/reviews';
import { postAction, sessionCookieFor } from '../support/http';
import { openBatchWithResearchers } from '../support/review-fixtures';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

describe('the queue under concurrent claims', () => {
	it('never hands an item out beyond its overlap when many researchers claim at once', async () => {
		const { batchId, researchers } = await openBatchWithResearchers(server.db, {
			researchers: 24,
			overlap: 1,
			file: 'native.jsonl'
		});
		const results = await Promise.all(
			researchers.map((r) =>
				postAction(server.url, `/review/${batchId}?/next`, {}, sessionCookieFor(server.db, r.id))
			)
		);
		const handed = results
			.filter((r) => r.type === 'redirect')
			.map((r) => Number(r.location!.split('/').at(-1)));
		// Three items, overlap 1: exactly three researchers get one, all different.
		expect(handed).toHaveLength(3);
		expect(new Set(handed).size).toBe(3);
		const live = server.db
			.select({ itemId: leases.itemId, n: sql<number>`count(*)` })
			.from(leases)
			.groupBy(leases.itemId)
			.all();
		expect(live.every((l) => l.n === 1)).toBe(true);
	});
});

describe('submits sent at once', () => {
	it('store one review per researcher and item, even when each is sent twice', async () => {
		// Six researchers, three items, overlap 2: everyone holds an item, then all submit at
		// once, each twice (a double click), so the writes share group commits.
		const { batchId, researchers } = await openBatchWithResearchers(server.db, {
			researchers: 6,
			overlap: 2
		});
		const held = researchers.map((r) => ({
			user: r,
			itemId: claimNextItem(server.db, r.id, batchId).itemId!
		}));
		expect(held.every((h) => h.itemId)).toBe(true);
		const payloadFor = (itemId: number) => {
			const ids = server.db
				.select({ id: responses.id })
				.from(responses)
				.where(eq(responses.itemId, itemId))
				.all()
				.map((r) => r.id);
			return JSON.stringify({
				scores: Object.fromEntries(ids.map((id, i) => [id, 5 - i])),
				ranks: Object.fromEntries(ids.map((id, i) => [id, i + 1])),
				timeSpentMs: 1000
			});
		};
		const submit = ({ user, itemId }: (typeof held)[number]) =>
			postAction(
				server.url,
				`/review/${batchId}/items/${itemId}?/submit`,
				{ payload: payloadFor(itemId) },
				sessionCookieFor(server.db, user.id)
			);
		const results = await Promise.all(held.flatMap((h) => [submit(h), submit(h)]));
		// Each goes straight on: here, with every item full, back to the batch page.
		expect(results.map((r) => r.type)).toEqual(Array(12).fill('redirect'));

		const stored = server.db
			.select({ userId: reviews.userId, itemId: reviews.itemId, n: sql<number>`count(*)` })
			.from(reviews)
			.where(eq(reviews.batchId, batchId))
			.groupBy(reviews.userId, reviews.itemId)
			.all();
		expect(stored).toHaveLength(6);
		expect(stored.every((s) => s.n === 1)).toBe(true);
		const counts = server.db
			.select({ submitted: items.submittedCount })
			.from(items)
			.where(eq(items.batchId, batchId))
			.all();
		expect(counts.map((c) => c.submitted)).toEqual([2, 2, 2]);
	});
});

describe('the review page HTML', () => {
	it('in a blind batch carries no model names or AI scores, anywhere in the page', async () => {
		const { batchId, researchers } = await openBatchWithResearchers(server.db, { blind: true });
		const r = researchers[0];
		const itemId = claimNextItem(server.db, r.id, batchId).itemId!;
		const html = await (
			await fetch(`${server.url}/review/${batchId}/items/${itemId}`, {
				headers: { cookie: sessionCookieFor(server.db, r.id) }
			})
		).text();
		expect(html).toContain('Response A');
		expect(html).not.toMatch(/model-a|model-b/);
		expect(html).not.toMatch(/aiScore|aiRank|AI score/);
	});

	it('shows model names when the batch is not blind', async () => {
		const { batchId, researchers } = await openBatchWithResearchers(server.db, { blind: false });
		const r = researchers[0];
		const itemId = claimNextItem(server.db, r.id, batchId).itemId!;
		const externalId = server.db.select().from(items).where(eq(items.id, itemId)).get()!.externalId;
		const html = await (
			await fetch(`${server.url}/review/${batchId}/items/${itemId}`, {
				headers: { cookie: sessionCookieFor(server.db, r.id) }
			})
		).text();
		if (externalId !== 'curious-1') expect(html).toMatch(/model-a/);
		expect(html).toContain('Response A');
	});

	it('refuses an item the researcher does not hold', async () => {
		const { batchId, researchers } = await openBatchWithResearchers(server.db, { researchers: 2 });
		const itemId = claimNextItem(server.db, researchers[0].id, batchId).itemId!;
		const res = await fetch(`${server.url}/review/${batchId}/items/${itemId}`, {
			headers: { cookie: sessionCookieFor(server.db, researchers[1].id) },
			redirect: 'manual'
		});
		expect(res.status).toBe(404);
	});
});
