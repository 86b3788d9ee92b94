/**
 * Walks every page, form action and endpoint under src/routes as anonymous and as each role,
 * against the built server, and checks what each gets against the table in access-table.ts.
 * Actions and write endpoints get valid requests: a refused one must write nothing, a permitted
 * one must get through. Every action is also posted cross-site, signed in as admin. A new route
 * fails this test until it is added to the table, so a forgotten guard cannot slip through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/lib/roles';
import { ROLES } from '../../src/lib/roles';
import { eq } from 'drizzle-orm';
import { dirname, join } from 'node:path';
import { items } from '../../src/lib/server/db/schema';
import { exportOptionsSchema, runExport } from '../../src/lib/server/exports';
import { importFile } from '../../src/lib/server/imports';
import { openBatch } from '../../src/lib/server/batches';
import { assignResearcher, claimNextItem } from '../../src/lib/server/reviews';
import { makeUser } from '../support/factories';
import { fixturePath } from '../support/fixtures';
import { postAction, sessionCookieFor } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { snapshotDatabase } from '../support/snapshot';
import {
	ACCESS,
	type Access,
	type ActionRule,
	type Fixture,
	type RouteRule,
	type WalkContext
} from './access-table';
import { discoverRoutes } from './routes';

type Who = 'anonymous' | Role;
const WHO: Who[] = ['anonymous', ...ROLES];
const EVIL = 'https://evil.example';

function allowed(access: Access, who: Who): boolean {
	if (access === 'public') return true;
	if (who === 'anonymous') return false;
	return ROLES.indexOf(who) >= ROLES.indexOf(access);
}

function fillParams(id: string, params: Record<string, string>): string {
	return id.replace(/\[(\w+)\]/g, (_, name) => params[name] ?? 'missing-param');
}

let server: TestServer;
let fixture: Fixture;
const userIds: Partial<Record<Role, number>> = {};

beforeAll(async () => {
	server = await startServer();
	for (const role of ROLES) userIds[role] = (await makeUser(server.db, { role })).id;
	const imported = await importFile(server.db, fixturePath('native.jsonl'), { actorId: null });
	if (!imported.ok || imported.kind !== 'batch') throw new Error('fixture import failed');
	const item = server.db.select().from(items).where(eq(items.batchId, imported.batchId)).get()!;
	// Every role reviews the batch and holds the same item (overlap 3, least-reviewed first).
	openBatch(server.db, userIds.admin!, imported.batchId);
	const claims = ROLES.map((role) => {
		assignResearcher(server.db, userIds.admin!, imported.batchId, userIds[role]!, null);
		return claimNextItem(server.db, userIds[role]!, imported.batchId).itemId;
	});
	if (new Set(claims).size !== 1 || claims[0] === null) throw new Error('fixture claims differ');
	const exported = await runExport(
		server.db,
		userIds.lead!,
		exportOptionsSchema.parse({ batchIds: [imported.batchId], format: 'trl', lockedOnly: false }),
		{ dir: join(dirname(server.dbPath), 'exports') }
	);
	fixture = {
		adminId: userIds.admin!,
		leadId: userIds.lead!,
		researcherId: userIds.researcher!,
		batchId: imported.batchId,
		itemId: item.id,
		constitutionId: imported.constitutionId,
		traitId: item.traitId,
		claimedItemId: claims[0],
		exportId: exported.id
	};
});
afterAll(() => server?.stop());

/** A fresh session per request, so that logging out in one check cannot spoil the next. */
function cookieFor(who: Who): string | undefined {
	return who === 'anonymous' ? undefined : sessionCookieFor(server.db, userIds[who]!);
}

function contextFor(who: Who): WalkContext {
	return { db: server.db, fixture, actorId: who === 'anonymous' ? null : userIds[who]! };
}

/** Every action of the table with a valid request made for `who`: its address and fields. */
async function* eachAction(who: Who) {
	for (const [id, rule] of Object.entries(ACCESS)) {
		for (const [name, action] of Object.entries(rule.actions ?? {})) {
			const prepared = (await action.prepare?.(contextFor(who))) ?? { fields: {} };
			const path = fillParams(id, prepared.params ?? rule.params?.(fixture) ?? {});
			const target = name === 'default' ? path : `${path}?/${name}`;
			yield { action, target, fields: prepared.fields };
		}
	}
}

/** Every endpoint of the table, with the body a write endpoint takes. */
async function* eachEndpoint(who: Who) {
	for (const [id, rule] of Object.entries(ACCESS) as [string, RouteRule][]) {
		for (const [method, endpoint] of Object.entries(rule.endpoints ?? {})) {
			const sent = await endpoint.send?.(contextFor(who));
			const path = fillParams(id, sent?.params ?? rule.params?.(fixture) ?? {});
			yield { endpoint, method, path, sent };
		}
	}
}

function expectPermitted(
	action: ActionRule,
	result: { type: string; status: number },
	label: string
) {
	if (action.permitted) {
		expect(result, `${label} (${action.permitted.why})`).toMatchObject({
			type: action.permitted.type,
			status: action.permitted.status
		});
	} else {
		expect(['success', 'redirect'], label).toContain(result.type);
	}
}

describe('the access table', () => {
	it('lists exactly the routes, actions and endpoints that exist', () => {
		const discovered = discoverRoutes();
		expect(discovered.map((r) => r.id)).toEqual(Object.keys(ACCESS).sort());
		for (const route of discovered) {
			const rule = ACCESS[route.id];
			expect(Boolean(rule.page), `${route.id} page`).toBe(route.page);
			expect(Object.keys(rule.actions ?? {}).sort(), `${route.id} actions`).toEqual(
				[...route.actions].sort()
			);
			expect(Object.keys(rule.endpoints ?? {}).sort(), `${route.id} endpoints`).toEqual(
				[...route.endpoints].sort()
			);
		}
	});
});

describe.each(WHO)('as %s', (who) => {
	it('gets each page only where the table allows it', async () => {
		for (const [id, rule] of Object.entries(ACCESS)) {
			if (!rule.page) continue;
			const path = fillParams(id, rule.params?.(fixture) ?? {});
			const cookie = cookieFor(who);
			const res = await fetch(server.url + path, {
				redirect: 'manual',
				headers: cookie ? { cookie } : {}
			});
			const label = `${who} GET ${path} → ${res.status}`;
			if (rule.page === 'public' || allowed(rule.page, who)) {
				expect(res.status, label).toBeLessThan(400);
			} else if (who === 'anonymous') {
				expect(res.status, label).toBe(303);
				expect(res.headers.get('location'), label).toMatch(/^\/login\?redirectTo=/);
			} else {
				expect(res.status, label).toBe(403);
			}
		}
	});

	it('runs each form action, with a valid body, only where the table allows it', async () => {
		for await (const { action, target, fields } of eachAction(who)) {
			// After preparing: a password reset there ends the user's sessions.
			const cookie = cookieFor(who);
			const before = snapshotDatabase(server.db);
			const result = await postAction(server.url, target, fields, cookie);
			const wrote = JSON.stringify(snapshotDatabase(server.db)) !== JSON.stringify(before);
			const label = `${who} POST ${target} → ${JSON.stringify(result)}`;
			if (allowed(action.access, who)) {
				expectPermitted(action, result, label);
				// Public actions write or not by who calls them (logging out with no session).
				if (!action.readOnly && action.access !== 'public') expect(wrote, label).toBe(true);
				continue;
			}
			if (who === 'anonymous') {
				expect(result.type, label).toBe('redirect');
				expect(result.location, label).toMatch(/^\/login/);
			} else {
				expect(result, label).toMatchObject({ type: 'error', status: 403 });
			}
			expect(wrote, `${label} wrote`).toBe(false);
		}
	});

	it('calls each endpoint, with a valid body, only where the table allows it', async () => {
		for await (const { endpoint, method, path, sent } of eachEndpoint(who)) {
			const cookie = cookieFor(who);
			const before = snapshotDatabase(server.db);
			const res = await fetch(`${server.url}${path}${sent?.query ? `?${sent.query}` : ''}`, {
				method,
				redirect: 'manual',
				headers: {
					origin: server.url,
					...(sent ? { 'content-type': sent.type } : {}),
					...(cookie ? { cookie } : {})
				},
				body: sent?.body
			});
			const text = await res.text();
			const wrote = JSON.stringify(snapshotDatabase(server.db)) !== JSON.stringify(before);
			const label = `${who} ${method} ${path} → ${res.status} ${text.slice(0, 200)}`;
			if (allowed(endpoint.access, who)) {
				expect([401, 403], label).not.toContain(res.status);
				expect(res.status, label).toBeLessThan(400);
				if (sent) expect(wrote, label).toBe(true);
				continue;
			}
			expect(wrote, `${label} wrote`).toBe(false);
			const api = path.startsWith('/api/');
			if (who === 'anonymous' && !api) {
				// The page-side upload endpoint sends people to log in.
				expect(res.status, label).toBe(303);
				expect(res.headers.get('location'), label).toMatch(/^\/login/);
				continue;
			}
			const status = who === 'anonymous' ? 401 : 403;
			expect(res.status, label).toBe(status);
			if (api) {
				const code = status === 401 ? 'unauthorized' : 'forbidden';
				expect(JSON.parse(text), label).toEqual({
					error: { code, message: expect.any(String) }
				});
			}
		}
	});
});

describe('cross-site posts, signed in as admin', () => {
	const forms = {
		urlencoded: (fields: Record<string, string>) => new URLSearchParams(fields),
		multipart: (fields: Record<string, string>) => {
			const form = new FormData();
			for (const [name, value] of Object.entries(fields)) form.append(name, value);
			return form;
		}
	};

	it.each(Object.keys(forms) as (keyof typeof forms)[])(
		'are refused with 403 for every action, %s, and write nothing',
		async (encoding) => {
			for await (const { target, fields } of eachAction('admin')) {
				const cookie = cookieFor('admin')!;
				const before = snapshotDatabase(server.db);
				const res = await fetch(server.url + target, {
					method: 'POST',
					redirect: 'manual',
					headers: {
						origin: EVIL,
						accept: 'application/json',
						'x-sveltekit-action': 'true',
						cookie
					},
					body: forms[encoding](fields)
				});
				const label = `POST ${target} from ${EVIL}`;
				expect(res.status, label).toBe(403);
				expect(await res.json(), label).toEqual({
					message: 'Cross-site POST form submissions are forbidden'
				});
				expect(snapshotDatabase(server.db), label).toEqual(before);
			}
		}
	);

	it('are refused for every write endpoint, with a form type or as JSON, writing nothing', async () => {
		for await (const { method, path, sent } of eachEndpoint('admin')) {
			if (!sent) continue;
			// Other types (a file upload's) need a CORS preflight, never granted, to leave a page.
			const types = ['text/plain', ...(sent.type === 'application/json' ? [sent.type] : [])];
			for (const type of types) {
				const cookie = cookieFor('admin')!;
				const before = snapshotDatabase(server.db);
				const res = await fetch(`${server.url}${path}?${sent.query}`, {
					method,
					redirect: 'manual',
					headers: { origin: EVIL, 'content-type': type, cookie },
					body: sent.body
				});
				const label = `${method} ${path} as ${type} from ${EVIL} → ${res.status}`;
				expect(res.status, label).toBe(403);
				expect(snapshotDatabase(server.db), label).toEqual(before);
			}
		}
	});
});

describe('sessions over HTTP', () => {
	it('treats a forged session cookie as signed out and clears it', async () => {
		const res = await fetch(`${server.url}/account`, {
			redirect: 'manual',
			headers: { cookie: 'tr_session=forged.forgedforgedforgedforged' }
		});
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toMatch(/^\/login/);
		expect(res.headers.get('set-cookie')).toMatch(/tr_session=;/);
	});
});
