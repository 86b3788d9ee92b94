/**
 * Gold marks over HTTP: only a lead (or admin) may mark or unmark an item gold, whatever a
 * researcher sends; a bad expected order is refused with its reason and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeInput } from '../../src/lib/server/reviews/testing';
import { makeUser } from '../support/factories';
import { postAction, sessionCookieFor } from '../support/http';
import { importGeneratedBatch } from '../support/review-batches';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let lead: { id: number };
let researcher: { id: number };
let batchId: number;
let itemId: number;
let ids: string[];

beforeAll(async () => {
	server = await startServer();
	lead = await makeUser(server.db, { role: 'lead' });
	researcher = await makeUser(server.db, { role: 'researcher' });
	const batch = await importGeneratedBatch(server.db, lead.id, { items: 2, overlap: 2 });
	batchId = batch.batchId;
	itemId = batch.itemIds[0];
	ids = Object.keys(completeInput(server.db, itemId).ranks);
});
afterAll(() => server?.stop());

const goldOrder = () =>
	(
		server.db.$client.prepare(`SELECT gold_order AS o FROM items WHERE id = ?`).get(itemId) as {
			o: string | null;
		}
	).o;
const itemPath = () => `/batches/${batchId}/items/${itemId}`;
const ranks = (values: string[]) =>
	Object.fromEntries(ids.map((id, i) => [`rank-${id}`, values[i]]));

describe('marking an item gold', () => {
	it('is refused to a researcher, and writes nothing', async () => {
		const cookie = sessionCookieFor(server.db, researcher.id);
		const result = await postAction(
			server.url,
			`${itemPath()}?/markGold`,
			ranks(['1', '2']),
			cookie
		);
		expect(result.status).toBe(403);
		expect(goldOrder()).toBeNull();
	});

	it('refuses a lead an order that decides nothing, with its reason', async () => {
		const cookie = sessionCookieFor(server.db, lead.id);
		const result = await postAction(
			server.url,
			`${itemPath()}?/markGold`,
			ranks(['1', '1']),
			cookie
		);
		expect(result).toMatchObject({ type: 'failure', status: 400 });
		expect(result.data).toContain('at least two different expected ranks');
		expect(goldOrder()).toBeNull();
	});

	it('lets a lead mark it, shows it on the item page, and lets them unmark it', async () => {
		const cookie = sessionCookieFor(server.db, lead.id);
		const marked = await postAction(
			server.url,
			`${itemPath()}?/markGold`,
			ranks(['2', '1']),
			cookie
		);
		expect(marked).toMatchObject({ type: 'success', status: 200 });
		expect(JSON.parse(goldOrder()!)).toEqual([[Number(ids[1])], [Number(ids[0])]]);
		const page = await (await fetch(server.url + itemPath(), { headers: { cookie } })).text();
		expect(page).toContain('expected order <strong>B > A</strong>');

		const researcherCookie = sessionCookieFor(server.db, researcher.id);
		const refused = await postAction(server.url, `${itemPath()}?/unmarkGold`, {}, researcherCookie);
		expect(refused.status).toBe(403);
		expect(goldOrder()).not.toBeNull();

		const unmarked = await postAction(server.url, `${itemPath()}?/unmarkGold`, {}, cookie);
		expect(unmarked).toMatchObject({ type: 'success', status: 200 });
		expect(goldOrder()).toBeNull();
	});

	it('shows the gold section on the batch dashboard', async () => {
		const cookie = sessionCookieFor(server.db, lead.id);
		const html = await (
			await fetch(`${server.url}/batches/${batchId}/dashboard`, { headers: { cookie } })
		).text();
		expect(html).toContain('Gold accuracy');
		expect(html).toContain('No submitted review of a gold item yet.');
	});
});
