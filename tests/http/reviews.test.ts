import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { items, leases } from '../../src/lib/server/db/schema';
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
