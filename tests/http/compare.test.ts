/**
 * The compare page and its downloads against the built server: who may see them, and what a lead
 * reads on batches where a checkpoint was made warmer and less funny.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/lib/roles';
import { makeCheckpointBatches } from '../support/checkpoint-batches';
import { makeUser } from '../support/factories';
import { sessionCookieFor } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { COMPARE_ACCESS, discoverRoutes } from './routes';

let server: TestServer;
let search: string;
const userIds: Partial<Record<Role, number>> = {};

beforeAll(async () => {
	server = await startServer();
	for (const role of ROLES) userIds[role] = (await makeUser(server.db, { role })).id;
	const { before, after } = await makeCheckpointBatches(server.db);
	search = `?batch=${before.id}&batch=${after.id}&a=ckpt-A&b=ckpt-B`;
});
afterAll(() => server?.stop());

async function get(path: string, role?: Role) {
	const res = await fetch(server.url + path, {
		headers: role ? { cookie: sessionCookieFor(server.db, userIds[role]!) } : {},
		redirect: 'manual'
	});
	return { status: res.status, headers: res.headers, body: await res.text() };
}

describe('who may compare', () => {
	it('lists every compare route in the access entries', () => {
		const discovered = discoverRoutes().filter((r) => r.id.startsWith('/compare'));
		expect(discovered.map((r) => r.id)).toEqual(Object.keys(COMPARE_ACCESS).sort());
		expect(discovered.find((r) => r.id === '/compare')!.page).toBe(true);
		expect(discovered.find((r) => r.id === '/compare/figures.[format]')!.endpoints).toEqual([
			'GET'
		]);
	});

	it.each([
		['/compare', 'page'],
		['/compare/figures.csv', 'CSV'],
		['/compare/figures.json', 'JSON']
	])('gives %s (%s) to leads and admins only', async (path) => {
		const anonymous = await get(path + search);
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
		expect((await get(path + search, 'researcher')).status).toBe(403);
		expect((await get(path + search, 'lead')).status).toBe(200);
		expect((await get(path + search, 'admin')).status).toBe(200);
	});
});

describe('the compare page', () => {
	it('reads warmth up, humour down and curiosity as too few, and states the prior', async () => {
		const { status, body } = await get('/compare' + search, 'lead');
		expect(status).toBe(200);
		// The page's text as a reader gets it: no tags, Svelte's markers or line breaks.
		const text = body.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ');
		expect(text).toMatch(/warmth: ckpt-B above ckpt-A by \d\.\d\d \[\d\.\d\d, \d\.\d\d\]\./);
		expect(text).toMatch(/humour: ckpt-B below ckpt-A by \d\.\d\d \[\d\.\d\d, \d\.\d\d\]\./);
		expect(text).toContain('curiosity: too few to judge');
		expect(text).toContain('prior of 1 win and 1 loss per model');
		expect(text).toContain('1000 resamples of whole items');
		expect(text).toContain('Trait × model');
		expect(body).toContain('<canvas');
		const downloads = search.replace(/&/g, '&amp;');
		expect(body).toContain(`href="/compare/figures.csv${downloads}"`);
		expect(body).toContain(`href="/compare/figures.json${downloads}"`);
	});

	it('offers only the form before batches are chosen, and says which batch ids match none', async () => {
		const empty = await get('/compare', 'lead');
		expect(empty.status).toBe(200);
		expect(empty.body).toContain('Compare');
		expect(empty.body).not.toContain('How to read these figures');
		const missing = await get('/compare?batch=999999', 'lead');
		expect(missing.body).toContain('No batch has the id 999999');
	});
});

describe('the downloads', () => {
	it('serve the page’s figures as CSV and JSON', async () => {
		const csv = await get('/compare/figures.csv' + search, 'lead');
		expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(csv.headers.get('content-disposition')).toBe(
			'attachment; filename="checkpoint-comparison.csv"'
		);
		const lines = csv.body.trimEnd().split('\n');
		expect(lines[0]).toBe(
			'figure,trait,model,versus,estimate,lower,upper,items,games,wins,win_rate,reading'
		);
		// Three traits × three models, then one difference per trait.
		expect(lines.filter((l) => l.startsWith('strength,'))).toHaveLength(9);
		const differences = lines.filter((l) => l.startsWith('difference,'));
		expect(differences.map((l) => l.split(',')[1])).toEqual(['warmth', 'humour', 'curiosity']);
		expect(differences[0]).toMatch(
			/^difference,warmth,ckpt-B,ckpt-A,\d\.\d+,\d\.\d+,\d\.\d+,30,30,,,/
		);

		const json = await get('/compare/figures.json' + search, 'lead');
		expect(json.headers.get('content-type')).toBe('application/json');
		const figures = JSON.parse(json.body);
		expect(figures.settings).toMatchObject({ prior: 1, samples: 1000, minItems: 10, minGames: 30 });
		expect(figures.differences.map((d: { status: string }) => d.status)).toEqual([
			'above',
			'below',
			'too-few'
		]);
	});

	it('answers 404 for a format it does not offer', async () => {
		expect((await get('/compare/figures.xml' + search, 'lead')).status).toBe(404);
	});
});
