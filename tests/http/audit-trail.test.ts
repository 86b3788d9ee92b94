import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/lib/server/api-tokens';
import { auditEvents } from '../../src/lib/server/db/schema';
import { buildExportBatch } from '../support/export-fixture';
import { makeUser } from '../support/factories';
import { sessionCookieFor } from '../support/http';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof buildExportBatch>>;
let leadToken: string;

beforeAll(async () => {
	server = await startServer();
	const admin = await makeUser(server.db, { role: 'admin' });
	fixture = await buildExportBatch(server.db, { lock: true });
	leadToken = createApiToken(server.db, admin.id, fixture.lead.id, 'ci').token;
});
afterAll(() => server?.stop());

describe('export downloads', () => {
	it('are audited with who downloaded which export, on the page and through the API', async () => {
		const created = await fetch(`${server.url}/api/v1/exports`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${leadToken}` },
			body: JSON.stringify({ batches: [fixture.name], format: 'trl' })
		});
		const { id } = (await created.json()) as { id: number };
		const api = await fetch(`${server.url}/api/v1/exports/${id}/download`, {
			headers: { authorization: `Bearer ${leadToken}` }
		});
		expect(api.status).toBe(200);
		await api.arrayBuffer();
		const page = await fetch(`${server.url}/exports/${id}/download`, {
			headers: { cookie: sessionCookieFor(server.db, fixture.lead.id) }
		});
		expect(page.status).toBe(200);
		await page.arrayBuffer();

		const downloads = server.db
			.select()
			.from(auditEvents)
			.where(eq(auditEvents.action, 'export.download'))
			.all();
		expect(downloads).toHaveLength(2);
		for (const event of downloads) {
			expect(event).toMatchObject({
				actorId: fixture.lead.id,
				targetType: 'export',
				targetId: String(id)
			});
		}
	});

	it('are not audited when refused', async () => {
		const before = server.db.select().from(auditEvents).all().length;
		const missing = await fetch(`${server.url}/api/v1/exports/999999/download`, {
			headers: { authorization: `Bearer ${leadToken}` }
		});
		expect(missing.status).toBe(404);
		expect(server.db.select().from(auditEvents).all()).toHaveLength(before);
	});
});
