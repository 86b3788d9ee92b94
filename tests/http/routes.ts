import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const routesDir = fileURLToPath(new URL('../../src/routes', import.meta.url));

export type DiscoveredRoute = {
	id: string;
	page: boolean;
	actions: string[];
	endpoints: string[];
};

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}

function routeId(file: string): string {
	const dir = relative(routesDir, join(file, '..'));
	const segments = dir.split(sep).filter((s) => s && !/^\(.*\)$/.test(s));
	return '/' + segments.join('/');
}

/** Names of the form actions a +page.server.ts exports, read from its source. */
function actionNames(source: string): string[] {
	const start = source.indexOf('export const actions');
	if (start < 0) return [];
	const block = source.slice(start);
	const end = block.search(/\n};/);
	return [...block.slice(0, end).matchAll(/^\t(\w+):/gm)].map((m) => m[1]);
}

/** Every page, action and endpoint under src/routes, as the router will serve them. */
export function discoverRoutes(): DiscoveredRoute[] {
	const routes = new Map<string, DiscoveredRoute>();
	for (const file of walk(routesDir)) {
		const name = file.split(sep).at(-1)!;
		if (!/^\+(page\.svelte|page\.server\.ts|server\.ts)$/.test(name)) continue;
		const id = routeId(file);
		const route = routes.get(id) ?? { id, page: false, actions: [], endpoints: [] };
		const source = readFileSync(file, 'utf8');
		if (name === '+page.svelte') route.page = true;
		if (name === '+page.server.ts') {
			route.page = true;
			route.actions.push(...actionNames(source));
		}
		if (name === '+server.ts') {
			route.endpoints.push(
				...[...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1])
			);
		}
		routes.set(id, route);
	}
	return [...routes.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The checkpoint comparison's routes, spread into the access table (access-table.ts);
 * tests/http/compare.test.ts also checks they are all listed. Both answer GET only.
 */
export const COMPARE_ACCESS = {
	'/compare': { page: 'lead' },
	'/compare/figures.[format]': {
		endpoints: { GET: { access: 'lead' } },
		params: () => ({ format: 'csv' })
	}
} as const;
