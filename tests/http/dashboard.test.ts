import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { items, responses } from '../../src/lib/server/db/schema';
import { submitReview } from '../support/review-batches';
import { makeUser } from '../support/factories';
import { sessionCookieFor } from '../support/http';
import { openBatchWithResearchers } from '../support/review-fixtures';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let batchId: number;
let batchName: string;
let lead: { id: number };
let researchers: { id: number; username: string }[];

/**
 * The native fixture (overlap 2): warm-1 (AI scores a 6, b 2), warm-2, curious-1 (AI ranks 1, 2).
 * Both researchers score the first response highest, except on curious-1, where they reverse
 * the AI. The second researcher leaves warm-2 out: 5 of 6 reviews.
 */
beforeAll(async () => {
	server = await startServer();
	({ batchId, lead, researchers } = await openBatchWithResearchers(server.db, {
		researchers: 2,
		overlap: 2
	}));
	batchName = `batch-${lead.id}`;
	const review = (userId: number, externalId: string) => {
		const item = server.db
			.select()
			.from(items)
			.where(and(eq(items.batchId, batchId), eq(items.externalId, externalId)))
			.get()!;
		const ids = server.db
			.select({ id: responses.id })
			.from(responses)
			.where(eq(responses.itemId, item.id))
			.orderBy(asc(responses.position))
			.all()
			.map((r) => r.id);
		const reversed = externalId === 'curious-1';
		const order = ids.map((_, p) => (reversed ? ids.length - 1 - p : p));
		submitReview(server.db, userId, item.id, {
			scores: Object.fromEntries(ids.map((id, p) => [id, 7 - 2 * order[p]])),
			ranks: Object.fromEntries(ids.map((id, p) => [id, order[p] + 1])),
			timeSpentMs: 95_000
		});
	};
	for (const externalId of ['warm-1', 'warm-2', 'curious-1']) review(researchers[0].id, externalId);
	for (const externalId of ['warm-1', 'curious-1']) review(researchers[1].id, externalId);
});
afterAll(() => server?.stop());

async function page(path: string, userId: number) {
	const res = await fetch(server.url + path, {
		headers: { cookie: sessionCookieFor(server.db, userId) },
		redirect: 'manual'
	});
	return { status: res.status, html: await res.text() };
}

describe('the batch dashboard', () => {
	it('shows a lead progress, agreement and human vs AI, with reviewers under pseudonyms', async () => {
		const { status, html } = await page(`/batches/${batchId}/dashboard`, lead.id);
		expect(status).toBe(200);
		expect(html).toMatch(/5 of 6\s+reviews \(83%\)/);
		expect(html).toContain('Agreement');
		expect(html).toContain('Krippendorff');
		expect(html).toContain('Reviewer 1');
		expect(html).toContain('Reviewer 2');
		for (const r of researchers) expect(html).not.toContain(r.username);
		// warm-1 keeps the AI's order (τ = 1), curious-1 reverses it (τ = −1): two items are too
		// few to read.
		expect(html).toContain('τ = 0.000 over 2 items: too few to judge (needs 10 items).');
		expect(html).toMatch(/>curious-1<\/a>/);
		expect(html).toContain('A › B');
		// Trait by model: on warm-1 and warm-2 the consensus puts model-a's first response on top.
		expect(html).toContain('Trait by model');
		expect(html).toContain('model-a: won 2 of 3 (67%); model-b: won 1 of 3 (33%).');
		expect(html).toContain('B › A');
		// The time histogram: five reviews of 1 min 35 s each.
		expect(html).toContain('median 1 min 35 s');
		expect(html).toContain('<canvas');
		expect(html).toContain('Show the numbers');
	});

	it('shows an admin the reviewers by username', async () => {
		const admin = await makeUser(server.db, { role: 'admin' });
		const { status, html } = await page(`/batches/${batchId}/dashboard`, admin.id);
		expect(status).toBe(200);
		for (const r of researchers) expect(html).toContain(r.username);
		expect(html).not.toContain('Reviewer 1');
	});

	it('is refused to a researcher', async () => {
		const { status } = await page(`/batches/${batchId}/dashboard`, researchers[0].id);
		expect(status).toBe(403);
	});

	it('answers 404 for a batch that does not exist', async () => {
		const { status } = await page(`/batches/999999/dashboard`, lead.id);
		expect(status).toBe(404);
	});
});

describe('the dashboard overview', () => {
	it('lists each batch with its progress and a link to its dashboard', async () => {
		const { status, html } = await page('/dashboard', lead.id);
		expect(status).toBe(200);
		expect(html).toContain(`href="/batches/${batchId}/dashboard"`);
		expect(html).toContain(batchName);
		expect(html).toMatch(/<progress[^>]*max="6"[^>]*value="5"|<progress[^>]*value="5"[^>]*max="6"/);
	});

	it('links the batch page to the dashboard', async () => {
		const { status, html } = await page(`/batches/${batchId}`, lead.id);
		expect(status).toBe(200);
		expect(html).toContain(`href="/batches/${batchId}/dashboard"`);
	});
});
