import type Database from 'better-sqlite3';

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A prepared statement, prepared once per connection. The hot paths (sessions, the review
 * queue) use these: preparing and building a query on every request cost more than running it.
 */
export function statement(client: Database.Database, text: string): Database.Statement {
	let cache = caches.get(client);
	if (!cache) caches.set(client, (cache = new Map()));
	let prepared = cache.get(text);
	if (!prepared) cache.set(text, (prepared = client.prepare(text)));
	return prepared;
}
