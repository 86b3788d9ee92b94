import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjudicationFlags } from '../../src/lib/server/db/schema';
import { makeUser } from '../support/factories';
import { postAction, sessionCookieFor } from '../support/http';
import {
	BY_QUALITY,
	buildJudgeBatch,
	FIRST_SHOWN,
	REVERSED_EVERY_FIFTH
} from '../support/judge-fixture';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof buildJudgeBatch>>;

/** A judge biased towards the first-shown response; reviewers who reverse it on every fifth item. */
beforeAll(async () => {
	server = await startServer();
	fixture = await buildJudgeBatch(server.db, {
		judge: FIRST_SHOWN,
		reviewers: [REVERSED_EVERY_FIFTH, BY_QUALITY]
	});
});
afterAll(() => server?.stop());

async function page(path: string, userId: number) {
	const res = await fetch(server.url + path, {
		headers: { cookie: sessionCookieFor(server.db, userId) },
		redirect: 'manual'
	});
	return { status: res.status, html: await res.text() };
}

const judgePath = () => `/batches/${fixture.batchId}/judge`;

describe('the Judge and position page', () => {
	it('shows a lead judge calibration and position bias, reviewers under pseudonyms', async () => {
		const { status, html } = await page(judgePath(), fixture.lead.id);
		expect(status).toBe(200);
		expect(html).toContain('Judge calibration');
		expect(html).toContain('95% interval');
		expect(html).toContain('Reviewer 1');
		for (const r of fixture.reviewers) expect(html).not.toContain(r.username);
		// The planted bias: the judge put the first-shown response on top in all 40 items.
		expect(html).toContain('The first-shown response won 40 of 40 (100.0%)');
		expect(html).toContain('favours the response shown first');
		expect(html).toMatch(/aria-label="Send to adjudication: j\d+"/);
	});

	it('shows an admin the reviewers by username', async () => {
		const admin = await makeUser(server.db, { role: 'admin' });
		const { status, html } = await page(judgePath(), admin.id);
		expect(status).toBe(200);
		for (const r of fixture.reviewers) expect(html).toContain(r.username);
	});

	it('is refused to a researcher, and is linked from the batch page', async () => {
		expect((await page(judgePath(), fixture.reviewers[0].id)).status).toBe(403);
		const batch = await page(`/batches/${fixture.batchId}`, fixture.lead.id);
		expect(batch.html).toContain(`href="${judgePath()}"`);
	});

	it('sends an item to adjudication for a lead, and not for a researcher', async () => {
		const itemId = String(fixture.itemIds[3]);
		const refused = await postAction(
			server.url,
			`${judgePath()}?/send`,
			{ itemId },
			sessionCookieFor(server.db, fixture.reviewers[0].id)
		);
		expect(refused.status).toBe(403);
		const flags = () => server.db.select().from(adjudicationFlags).all();
		expect(flags()).toEqual([]);

		const sent = await postAction(
			server.url,
			`${judgePath()}?/send`,
			{ itemId },
			sessionCookieFor(server.db, fixture.lead.id)
		);
		expect(sent).toMatchObject({ type: 'success', status: 200 });
		expect(sent.data).toContain('j4');
		expect(flags().map((f) => [f.itemId, f.flaggedBy])).toEqual([
			[Number(itemId), fixture.lead.id]
		]);

		// First on the disagreement list, marked as sent.
		const list = await page(`/batches/${fixture.batchId}/adjudicate`, fixture.lead.id);
		const firstRow = list.html.slice(list.html.indexOf('<tbody'));
		expect(firstRow).toMatch(/>j4<\/a>[^<]*(<!--[^>]*-->)?<span class="badge">sent<\/span>/);
		expect(firstRow.indexOf('>j4<')).toBeLessThan(firstRow.indexOf('>j1<'));

		const wrong = await postAction(
			server.url,
			`${judgePath()}?/send`,
			{ itemId: '999999' },
			sessionCookieFor(server.db, fixture.lead.id)
		);
		expect(wrong).toMatchObject({ type: 'failure', status: 404 });
		expect(
			server.db.select().from(adjudicationFlags).where(eq(adjudicationFlags.itemId, 999999)).all()
		).toEqual([]);
	});
});
