import type Database from 'better-sqlite3';
import type { AppDB } from '../db';
import { statement } from '../db/statements';

/**
 * Figures that read a whole batch (the disagreement list; the dashboard reads running tallies
 * instead) take seconds on a batch of 100,000 items. They depend only on the batch's submitted
 * reviews and adjudications, so they are kept per batch and computed again only when those
 * change: a locked batch is read once.
 */
const caches = new WeakMap<Database.Database, Map<string, { version: string; value: unknown }>>();
const MAX_ENTRIES = 16;

/** Changes whenever a review is submitted or edited, or an adjudication is made or changed. */
function batchVersion(client: Database.Database, batchId: number): string {
	const row = statement(
		client,
		`SELECT (SELECT count(*) || ':' || coalesce(max(updated_at), 0) FROM reviews
		          WHERE batch_id = ? AND status = 'submitted') || '|' ||
		        (SELECT count(*) || ':' || coalesce(max(decided_at), 0) FROM adjudications
		          WHERE batch_id = ?) AS version`
	).get(batchId, batchId) as { version: string };
	return row.version;
}

/**
 * The figures for the batch as it is now: kept from an earlier call when nothing has changed
 * since, computed otherwise. Callers arriving while a computation runs share it.
 */
export function cachedForBatch<T>(
	db: AppDB,
	batchId: number,
	key: string,
	compute: () => Promise<T>
): Promise<T> {
	const client = db.$client;
	let cache = caches.get(client);
	if (!cache) caches.set(client, (cache = new Map()));
	const name = `${batchId}:${key}`;
	const version = batchVersion(client, batchId);
	const hit = cache.get(name);
	if (hit && hit.version === version) return hit.value as Promise<T>;
	const value = compute();
	cache.delete(name);
	cache.set(name, { version, value });
	// A failed computation is not kept: the next call tries again.
	value.catch(() => {
		if (cache.get(name)?.value === value) cache.delete(name);
	});
	// Oldest first: drop the least recently computed once over the limit.
	while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
	return value;
}
