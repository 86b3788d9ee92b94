/**
 * An imported batch starts as a draft. The import's result and the assignments page say so and
 * open it on the spot, through the same domain function as the batch page's button.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, batches } from '../../src/lib/server/db/schema';
import { makeBatch, makeUser } from '../support/factories';
import { postAction, sessionCookieFor } from '../support/http';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let lead: { id: number };
let admin: { id: number };

beforeAll(async () => {
	server = await startServer();
	lead = await makeUser(server.db, { role: 'lead' });
	admin = await makeUser(server.db, { role: 'admin' });
});
afterAll(() => server?.stop());

const statusOf = (batchId: number) =>
	server.db.select().from(batches).where(eq(batches.id, batchId)).get()!.status;

const openedBy = (batchId: number) =>
	server.db
		.select()
		.from(auditEvents)
		.where(eq(auditEvents.action, 'batch.open'))
		.all()
		.filter((e) => e.targetId === String(batchId))
		.map((e) => e.actorId);

describe('Open for review, from the import’s result', () => {
	it('opens the draft for a lead, once, in their name', async () => {
		const batch = makeBatch(server.db, { status: 'draft' });
		const cookie = sessionCookieFor(server.db, lead.id);
		const fields = { batchId: String(batch.id) };
		const result = await postAction(server.url, '/imports/new?/open', fields, cookie);
		expect(result).toMatchObject({ type: 'success', status: 200 });
		expect(statusOf(batch.id)).toBe('open');
		expect(openedBy(batch.id)).toEqual([lead.id]);

		const again = await postAction(server.url, '/imports/new?/open', fields, cookie);
		expect(again).toMatchObject({ type: 'failure', status: 400 });
		expect(again.data).toContain('only a draft batch can be opened');
	});

	it('refuses a batch id that is not one', async () => {
		const cookie = sessionCookieFor(server.db, lead.id);
		const result = await postAction(server.url, '/imports/new?/open', { batchId: 'x' }, cookie);
		expect(result).toMatchObject({ type: 'failure', status: 400 });
		const missing = await postAction(server.url, '/imports/new?/open', { batchId: '999' }, cookie);
		expect(missing).toMatchObject({ type: 'failure', status: 404 });
	});
});

describe('the assignments page and draft batches', () => {
	it('marks each draft batch, and opens it', async () => {
		const draft = makeBatch(server.db, { status: 'draft', name: 'Waiting round' });
		const open = makeBatch(server.db, { status: 'open', name: 'Running round' });
		const cookie = sessionCookieFor(server.db, admin.id);
		const page = async () =>
			(await fetch(`${server.url}/admin/assignments`, { headers: { cookie } })).text();
		const marked = (html: string, name: string) =>
			new RegExp(
				`${name}</a>(?:\\s|<!--[^>]*-->)*<span class="badge[^"]*">draft — not open for review yet`
			).test(html);

		const before = await page();
		expect(marked(before, 'Waiting round')).toBe(true);
		expect(marked(before, 'Running round')).toBe(false);

		const result = await postAction(
			server.url,
			'/admin/assignments?/open',
			{ batchId: String(draft.id) },
			cookie
		);
		expect(result).toMatchObject({ type: 'success', status: 200 });
		expect(statusOf(draft.id)).toBe('open');
		expect(statusOf(open.id)).toBe('open');
		expect(openedBy(draft.id)).toEqual([admin.id]);
		expect(marked(await page(), 'Waiting round')).toBe(false);
	});
});
