// The export API's content-check and pairing options: a bad value is refused with a 400 that
// names the option, and writes nothing; good ones reach the record and its card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/lib/server/api-tokens';
import { exports } from '../../src/lib/server/db/schema';
import { buildChecksBatch } from '../support/checks-fixture';
import { makeUser } from '../support/factories';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let token: string;
let fixture: Awaited<ReturnType<typeof buildChecksBatch>>;

beforeAll(async () => {
	server = await startServer();
	const admin = await makeUser(server.db, { role: 'admin' });
	fixture = await buildChecksBatch(server.db);
	token = createApiToken(server.db, admin.id, fixture.lead.id, 'checks').token;
});
afterAll(() => server?.stop());

function post(body: unknown) {
	return fetch(`${server.url}/api/v1/exports`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify(body)
	});
}

describe('POST /api/v1/exports with content checks', () => {
	it.each([
		[{ checks: { empty: 'maybe' } }, 'checks.empty'],
		[{ checks: { spelling: 'drop' } }, 'checks'],
		[{ checks: 'drop' }, 'checks'],
		[{ pairing: 'sometimes' }, 'pairing']
	])('refuses %j with a 400 naming the option, and writes nothing', async (bad, path) => {
		const before = server.db.select().from(exports).all().length;
		const res = await post({ batches: [fixture.name], format: 'trl', ...bad });
		expect(res.status).toBe(400);
		const body = (await res.json()) as { error: { code: string; issues: { path: string }[] } };
		expect(body.error.code).toBe('invalid_options');
		expect(body.error.issues.map((i) => i.path)).toContain(path);
		expect(server.db.select().from(exports).all()).toHaveLength(before);
	});

	it('records the chosen actions and what each check found on the card', async () => {
		const res = await post({
			batches: [fixture.name],
			format: 'trl',
			checks: { placeholder: 'drop', identical: 'keep' },
			pairing: 'agree-all-traits'
		});
		expect(res.status).toBe(201);
		const record = (await res.json()) as {
			settings: Record<string, unknown>;
			itemsOut: Record<string, number>;
			card: string;
		};
		expect(record.settings).toMatchObject({
			checks: { placeholder: 'drop', identical: 'keep', empty: 'drop' },
			pairing: 'agree-all-traits'
		});
		expect(record.itemsOut).toEqual({ contentChecks: 2, conflicts: 2 });
		expect(record.card).toContain('| Chosen and rejected are the same text | 1 | keep | 0 | k3 |');
		expect(record.card).toContain('- k5 (warmth): s1 over s2; k6 (curiosity): s2 over s1');
	});
});
