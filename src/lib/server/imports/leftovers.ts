import type Database from 'better-sqlite3';
import { hostname } from 'node:os';
import type { AppDB } from '../db';
import { chunkPacer, inImmediateTransaction } from './chunks';

/**
 * An import writes its batch in chunks while the batch is `importing`, which nobody sees. If the
 * process dies, the batch stays behind: these find such leftovers and remove them, but never a
 * batch that a live import, in this process or another, is still writing.
 */

/** Who writes a batch: recorded on its import row while it is `importing`. */
export type Writer = { host: string; pid: number; startedAt: number };

/** This process. Its start time tells it from an earlier process with the same pid. */
export const THIS_WRITER: Writer = {
	host: hostname(),
	pid: process.pid,
	startedAt: Math.round(performance.timeOrigin)
};

/**
 * A writer commits a chunk every few milliseconds and refreshes its heartbeat with each. One
 * silent this long is gone, whatever its pid says (the pid may have been reused, or belong to
 * another machine sharing the file).
 */
export const STALE_AFTER_MS = 10 * 60_000;

/** The batches this process is writing right now. */
const writing = new Set<number>();

export function markWriting(batchId: number, active: boolean): void {
	if (active) writing.add(batchId);
	else writing.delete(batchId);
}

type Leftover = {
	batchId: number;
	name: string;
	host: string | null;
	pid: number | null;
	startedAt: number | null;
	heartbeatAt: number | null;
};

/** Whether the import writing this batch has ended without finishing it. */
export function isWriterGone(row: Leftover, now = Date.now()): boolean {
	// No writer recorded: a removal was interrupted half-way.
	if (row.host === null || row.pid === null) return true;
	if (row.host === THIS_WRITER.host && row.pid === THIS_WRITER.pid) {
		return row.startedAt !== THIS_WRITER.startedAt || !writing.has(row.batchId);
	}
	if (now - (row.heartbeatAt ?? 0) > STALE_AFTER_MS) return true;
	return row.host === THIS_WRITER.host && !processExists(row.pid);
}

function processExists(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		// EPERM: it exists, it is just not ours to signal.
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Removes every `importing` batch whose writer is gone, with its items, responses and import
 * record. Called at start by the server and the command line, and before each import, so a
 * crashed import of a file never blocks importing it again. Returns how many it removed.
 */
export async function removeAbandonedImports(db: AppDB): Promise<number> {
	const leftovers = db.$client
		.prepare(
			`SELECT b.id AS batchId, b.name AS name, i.writer_host AS host, i.writer_pid AS pid,
			        i.writer_started_at AS startedAt, i.heartbeat_at AS heartbeatAt
			   FROM batches b LEFT JOIN imports i ON i.batch_id = b.id
			  WHERE b.status = 'importing'`
		)
		.all() as Leftover[];
	let removed = 0;
	for (const row of leftovers) {
		if (!isWriterGone(row)) continue;
		if (!(await removeImportingBatch(db, row.batchId, row.heartbeatAt))) continue;
		removed += 1;
		console.warn(
			`Removed batch "${row.name}" (id ${row.batchId}), left unfinished by an import that stopped` +
				(row.pid === null ? '.' : ` (process ${row.pid} on ${row.host}).`)
		);
	}
	return removed;
}

/** Items removed at a time, as many times as a step's time allows. */
const REMOVE_STEP_ITEMS = 100;

/**
 * Removes an `importing` batch in short transactions. The import row goes first, in a step that
 * checks the heartbeat has not moved since `seenHeartbeat` (when given): a writer judged gone
 * that is alive after all then finds its claim gone at its next chunk and stops, and it can no
 * longer finish a batch whose items are being removed. Returns false when the batch was not
 * removed because its writer moved, or it is no longer `importing`.
 */
export async function removeImportingBatch(
	db: AppDB,
	batchId: number,
	seenHeartbeat?: number | null
): Promise<boolean> {
	const client = db.$client;
	const claimed = await inImmediateTransaction(client, () => {
		const row = client
			.prepare(`SELECT heartbeat_at AS heartbeatAt FROM imports WHERE batch_id = ?`)
			.get(batchId) as { heartbeatAt: number | null } | undefined;
		if (row && seenHeartbeat !== undefined && row.heartbeatAt !== seenHeartbeat) return false;
		const batch = client.prepare(`SELECT status FROM batches WHERE id = ?`).get(batchId) as
			{ status: string } | undefined;
		if (batch?.status !== 'importing') return false;
		// The import record stays, writer cleared, until the batch goes: it says what the import
		// created, even to a removal that resumes this one after a crash.
		client
			.prepare(
				`UPDATE imports SET writer_host = NULL, writer_pid = NULL, writer_started_at = NULL,
				        heartbeat_at = NULL
				  WHERE batch_id = ?`
			)
			.run(batchId);
		// Nobody can see an importing batch, so nothing should hang off it; if something does,
		// it goes here, with the foreign keys on, before the bulk removal below turns them off.
		for (const table of ['leases', 'adjudications', 'assignments', 'export_batches', 'reviews']) {
			client.prepare(`DELETE FROM ${table} WHERE batch_id = ?`).run(batchId);
		}
		return true;
	});
	if (!claimed) return false;
	// Items and their responses, without foreign key checks: each deleted response would
	// otherwise scan review_responses, which has no index on response_id. In id order, the order
	// they were written in, each step going on from where the last one ended: taken in an
	// index's order, the items' responses lay all over the table, and removing 100,000 items
	// took 11 s instead of 2.
	const ids = client
		.prepare(`SELECT id FROM items WHERE +batch_id = ? AND id >= ? ORDER BY id LIMIT ?`)
		.pluck();
	// Nobody adds to the batch now: its writer is gone or has stopped.
	let from = client.prepare(`SELECT min(id) FROM items WHERE batch_id = ?`).pluck().get(batchId) as
		number | null;
	const deleteResponses = client.prepare(
		`DELETE FROM responses WHERE item_id IN (SELECT value FROM json_each(?))`
	);
	const deleteItems = client.prepare(
		`DELETE FROM items WHERE id IN (SELECT value FROM json_each(?))`
	);
	// Paced as an import's writes are (chunks.ts): short steps while others are about.
	const pacer = chunkPacer(client);
	let stepMs = 0;
	for (let left = true; left;) {
		await pacer.pause(stepMs);
		const started = performance.now();
		left = await inImmediateTransaction(
			client,
			() => {
				const deadline = started + pacer.budgetMs();
				do {
					const step = from === null ? [] : (ids.all(batchId, from, REMOVE_STEP_ITEMS) as number[]);
					if (step.length === 0) return false;
					const chunk = JSON.stringify(step);
					deleteResponses.run(chunk);
					deleteItems.run(chunk);
					from = step[step.length - 1] + 1;
				} while (performance.now() < deadline);
				return true;
			},
			{ foreignKeys: false, unsynced: true }
		);
		stepMs = performance.now() - started;
	}
	await inImmediateTransaction(client, () => {
		const made = client
			.prepare(
				`SELECT constitution_id AS constitutionId, created_at AS createdAt
				   FROM imports WHERE batch_id = ?`
			)
			.get(batchId) as CreatedBy | undefined;
		// The import record goes with its batch (on delete cascade).
		client.prepare(`DELETE FROM batches WHERE id = ? AND status = 'importing'`).run(batchId);
		if (made) removeCreatedCatalog(client, made);
	});
	return true;
}

/** What an import names as its own: its constitution, and the stamp of what it created. */
type CreatedBy = { constitutionId: number; createdAt: number };

/**
 * Removes the traits, and then the constitution, that a removed import created (ensure-traits.ts
 * stamps them with its record's time), unless something else uses them by now: another batch or
 * import, prompts, a new version. What was there before the import never has its stamp.
 * Items are looked up through their batches (an item's trait is of its batch's constitution):
 * items has no index on trait_id alone.
 */
function removeCreatedCatalog(client: Database.Database, { constitutionId, createdAt }: CreatedBy) {
	client
		.prepare(
			`DELETE FROM traits
			  WHERE constitution_id = ? AND created_at = ? AND current_version = 1
			    AND NOT EXISTS (SELECT 1 FROM items JOIN batches ON batches.id = items.batch_id
			                     WHERE batches.constitution_id = traits.constitution_id
			                       AND items.trait_id = traits.id)
			    AND NOT EXISTS (SELECT 1 FROM prompts WHERE prompts.trait_id = traits.id)`
		)
		.run(constitutionId, createdAt);
	client
		.prepare(
			`DELETE FROM constitutions
			  WHERE id = ? AND created_at = ?
			    AND NOT EXISTS (SELECT 1 FROM traits WHERE traits.constitution_id = constitutions.id)
			    AND NOT EXISTS (SELECT 1 FROM batches WHERE batches.constitution_id = constitutions.id)
			    AND NOT EXISTS (SELECT 1 FROM imports WHERE imports.constitution_id = constitutions.id)`
		)
		.run(constitutionId, createdAt);
}
