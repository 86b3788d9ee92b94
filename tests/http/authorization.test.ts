/**
 * Walks every page, form action and endpoint under src/routes as anonymous and as each role,
 * against the built server, and checks what each gets against the table below. A new route
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
import { discoverRoutes } from './routes';

type Access = 'public' | Role;
type Fixture = {
	researcherId: number;
	batchId: number;
	itemId: number;
	constitutionId: number;
	traitId: number;
	claimedItemId: number;
	exportId: number;
};
type RouteRule = {
	page?: Access;
	actions?: Record<string, Access>;
	endpoints?: Record<string, Access>;
	params?: (f: Fixture) => Record<string, string>;
};

const ACCESS: Record<string, RouteRule> = {
	'/': { page: 'researcher' },
	'/account': { page: 'researcher', actions: { password: 'researcher' } },
	'/admin/assignments': {
		page: 'admin',
		actions: { assign: 'admin', remove: 'admin', overlap: 'admin', open: 'admin' }
	},
	'/admin/audit': { page: 'admin' },
	'/admin/users': { page: 'admin', actions: { create: 'admin' } },
	'/admin/users/[id]': {
		page: 'admin',
		actions: { role: 'admin', disabled: 'admin', password: 'admin' },
		params: (f) => ({ id: String(f.researcherId) })
	},
	'/admin/tokens': { page: 'admin', actions: { create: 'admin', revoke: 'admin' } },
	'/api/health': { endpoints: { GET: 'public' } },
	'/api/v1/exports': { endpoints: { POST: 'lead' } },
	'/api/v1/exports/[id]/download': {
		endpoints: { GET: 'lead' },
		params: (f) => ({ id: String(f.exportId) })
	},
	'/api/v1/imports': { endpoints: { POST: 'lead' } },
	'/batches': { page: 'lead' },
	'/batches/[id]': {
		page: 'lead',
		actions: { open: 'lead', lock: 'lead', unlock: 'admin' },
		params: (f) => ({ id: String(f.batchId) })
	},
	'/batches/[id]/dashboard': { page: 'lead', params: (f) => ({ id: String(f.batchId) }) },
	'/batches/[id]/adjudicate': { page: 'lead', params: (f) => ({ id: String(f.batchId) }) },
	'/batches/[id]/adjudicate/[itemId]': {
		page: 'lead',
		actions: { decide: 'lead', clear: 'lead' },
		params: (f) => ({ id: String(f.batchId), itemId: String(f.itemId) })
	},
	'/batches/[id]/items/[itemId]': {
		page: 'lead',
		params: (f) => ({ id: String(f.batchId), itemId: String(f.itemId) })
	},
	'/constitutions': { page: 'lead', actions: { create: 'lead' } },
	'/constitutions/[id]': {
		page: 'lead',
		actions: { createTrait: 'lead' },
		params: (f) => ({ id: String(f.constitutionId) })
	},
	'/constitutions/[id]/traits/[traitId]': {
		page: 'lead',
		actions: { edit: 'lead', archive: 'lead' },
		params: (f) => ({ id: String(f.constitutionId), traitId: String(f.traitId) })
	},
	'/dashboard': { page: 'lead' },
	'/exports': { page: 'lead' },
	'/exports/new': { page: 'lead', actions: { preview: 'lead', run: 'lead' } },
	'/exports/[id]': {
		page: 'lead',
		actions: { verify: 'lead' },
		params: (f) => ({ id: String(f.exportId) })
	},
	'/exports/[id]/download': {
		endpoints: { GET: 'lead' },
		params: (f) => ({ id: String(f.exportId) })
	},
	'/exports/[id]/card': { endpoints: { GET: 'lead' }, params: (f) => ({ id: String(f.exportId) }) },
	'/imports/new': { page: 'lead', actions: { open: 'lead' } },
	'/imports/upload': { endpoints: { POST: 'lead' } },
	'/login': { page: 'public', actions: { default: 'public' } },
	'/logout': { page: 'public', actions: { default: 'public' } },
	'/review/[batchId]': {
		page: 'researcher',
		actions: { next: 'researcher' },
		params: (f) => ({ batchId: String(f.batchId) })
	},
	'/review/[batchId]/items/[itemId]': {
		page: 'researcher',
		actions: {
			save: 'researcher',
			submit: 'researcher',
			update: 'researcher',
			skip: 'researcher',
			next: 'researcher',
			renew: 'researcher'
		},
		params: (f) => ({ batchId: String(f.batchId), itemId: String(f.claimedItemId) })
	},
	'/reviews': { page: 'researcher' },
	'/setup': { page: 'public', actions: { default: 'public' } }
};

type Who = 'anonymous' | Role;
const WHO: Who[] = ['anonymous', ...ROLES];

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

	it('runs each form action only where the table allows it', async () => {
		for (const [id, rule] of Object.entries(ACCESS)) {
			for (const [action, access] of Object.entries(rule.actions ?? {})) {
				const path = fillParams(id, rule.params?.(fixture) ?? {});
				const target = action === 'default' ? path : `${path}?/${action}`;
				const result = await postAction(server.url, target, {}, cookieFor(who));
				const label = `${who} POST ${target} → ${JSON.stringify(result)}`;
				if (allowed(access, who)) {
					expect(['success', 'failure', 'redirect'], label).toContain(result.type);
					expect(result.status, label).not.toBe(403);
				} else if (who === 'anonymous') {
					expect(result.type, label).toBe('redirect');
					expect(result.location, label).toMatch(/^\/login/);
				} else {
					expect(result, label).toMatchObject({ type: 'error', status: 403 });
				}
			}
		}
	});

	it('calls each endpoint only where the table allows it', async () => {
		for (const [id, rule] of Object.entries(ACCESS)) {
			for (const [method, access] of Object.entries(rule.endpoints ?? {})) {
				const path = fillParams(id, rule.params?.(fixture) ?? {});
				const cookie = cookieFor(who);
				const res = await fetch(server.url + path, {
					method,
					redirect: 'manual',
					headers: { origin: server.url, ...(cookie ? { cookie } : {}) }
				});
				const label = `${who} ${method} ${path} → ${res.status}`;
				if (allowed(access, who)) {
					expect([401, 403], label).not.toContain(res.status);
					expect(res.status, label).toBeLessThan(500);
				} else if (who === 'anonymous') {
					// API paths answer 401; the page-side upload endpoint sends people to log in.
					const toLogin = res.status === 303 && res.headers.get('location')?.startsWith('/login');
					expect(res.status === 401 || toLogin, label).toBe(true);
				} else {
					expect(res.status, label).toBe(403);
				}
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

	it('rejects a cross-site form post', async () => {
		const res = await fetch(`${server.url}/admin/users?/create`, {
			method: 'POST',
			headers: {
				origin: 'https://evil.example',
				'content-type': 'application/x-www-form-urlencoded',
				cookie: cookieFor('admin')!
			},
			body: 'username=mallory&role=admin&password=mallory-password'
		});
		expect(res.status).toBe(403);
	});
});
