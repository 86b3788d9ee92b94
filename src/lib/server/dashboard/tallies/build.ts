import type Database from 'better-sqlite3';
import type { AppDB } from '../../db';
import type { TraitFacts } from '../../db/schema';
import { statement } from '../../db/statements';
import { nextTurn, readItemChunks, type ItemRecord } from '../../item-records';
import { aiOrder } from '../item-measures';
import { hasSeveralTraits, TallyDelta } from './delta';
import { refreshStaleBatch } from './stale';
import { isCounted, itemState, writeItemState } from './state';

/**
 * A batch's item and agreement tallies are built once from what it holds: at start for a
 * database from before the tallies (the backfill), and for a batch imported since, when its
 * dashboard is first opened. From then on the writes keep them: a decision at once
 * (refreshItemTallies), a submit or an edit through a stale mark (stale.ts).
 *
 * The build reads the batch a chunk of items at a time, each chunk in its own transaction, so
 * the server answers others in between. An item refreshed meanwhile is counted already; the
 * build skips items already counted, so nothing is counted twice, and a build cut short by a
 * crash simply starts again: the batch is marked built in the transaction of its last chunk.
 * An item the build counted before a submit marked it stale is refreshed after the build.
 */

const builds = new WeakMap<Database.Database, Map<number, Promise<void>>>();

function isBuilt(client: Database.Database, batchId: number): boolean {
	return (
		statement(client, `SELECT 1 FROM batch_tallies WHERE batch_id = ?`).get(batchId) !== undefined
	);
}

/**
 * Resolves once the batch's tallies are complete and exact, as every reader of them needs:
 * builds them the first time, `chunkSize` items per step (500 by default), then refreshes the
 * batch's stale items (`chunkSize` per step too, 200 by default).
 */
export async function ensureBatchTallies(
	db: Pick<AppDB, '$client'>,
	batchId: number,
	options: { chunkSize?: number } = {}
): Promise<void> {
	if (!isBuilt(db.$client, batchId)) await buildOnce(db.$client, batchId, options.chunkSize);
	await refreshStaleBatch(db, batchId, options.chunkSize);
}

/** One build per batch at a time: a second reader waits for the first's. */
function buildOnce(client: Database.Database, batchId: number, chunkSize?: number) {
	let running = builds.get(client);
	if (!running) builds.set(client, (running = new Map()));
	let build = running.get(batchId);
	if (!build) {
		build = buildBatchTallies(client, batchId, chunkSize).finally(() => running.delete(batchId));
		running.set(batchId, build);
	}
	return build;
}

/** Builds the tallies of every batch that lacks them, one after the other; for the start. */
export async function backfillTallies(db: Pick<AppDB, '$client'>): Promise<void> {
	const pending = statement(
		db.$client,
		`SELECT id FROM batches WHERE status <> 'importing'
		    AND id NOT IN (SELECT batch_id FROM batch_tallies) ORDER BY id`
	).all() as { id: number }[];
	for (const { id } of pending) await ensureBatchTallies(db, id);
}

async function buildBatchTallies(
	client: Database.Database,
	batchId: number,
	chunkSize?: number
): Promise<void> {
	const facts = new Map<number, TraitFacts>();
	const chunks = readItemChunks(client, batchId, { withContent: false, chunkSize });
	for (;;) {
		const more = client.transaction(() => buildStep(client, batchId, chunks, facts)).immediate();
		if (!more) return;
		await nextTurn();
	}
}

type ItemRow = { id: number; trait_id: number; submitted_count: number; response_count: number };

/** Counts one chunk of items; after the last, marks the batch built. False when done. */
function buildStep(
	client: Database.Database,
	batchId: number,
	chunks: Generator<ItemRecord[]>,
	facts: Map<number, TraitFacts>
): boolean {
	const next = chunks.next();
	if (next.done) {
		// Never while an import is still adding items: the facts would miss the rest.
		statement(
			client,
			`INSERT OR IGNORE INTO batch_tallies (batch_id, traits, built_at)
			 SELECT id, ?, ? FROM batches WHERE id = ? AND status <> 'importing'`
		).run(JSON.stringify([...facts.values()]), Date.now(), batchId);
		return false;
	}
	const chunk = next.value;
	const first = chunk[0].id;
	const last = chunk[chunk.length - 1].id;
	const rows = new Map(
		(
			statement(
				client,
				`SELECT id, trait_id, submitted_count, response_count FROM items
				  WHERE id BETWEEN ? AND ? AND +batch_id = ?`
			).all(first, last, batchId) as ItemRow[]
		).map((row) => [row.id, row])
	);
	const counted = new Set(
		(
			statement(client, `SELECT item_id FROM item_tallies WHERE item_id BETWEEN ? AND ?`)
				.raw()
				.all(first, last) as [number][]
		).map(([id]) => id)
	);
	const delta = new TallyDelta(batchId, hasSeveralTraits(client, batchId));
	for (const item of chunk) {
		const row = rows.get(item.id)!;
		let traitFacts = facts.get(row.trait_id);
		if (!traitFacts) {
			traitFacts = { traitId: row.trait_id, items: 0, withResponses: 0, withAi: 0 };
			facts.set(row.trait_id, traitFacts);
		}
		traitFacts.items += 1;
		if (row.response_count > 0) traitFacts.withResponses += 1;
		if (aiOrder(item)) traitFacts.withAi += 1;
		if (counted.has(item.id) || !isCounted(item, row.submitted_count)) continue;
		const state = itemState(item, row.submitted_count);
		delta.addItem(row.trait_id, item.responses, state, 1);
		writeItemState(client, batchId, item.id, row.trait_id, state);
	}
	delta.flush(client);
	return true;
}
