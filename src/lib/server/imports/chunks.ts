import type Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { logSyncFor } from '../db/log-sync';

/**
 * How an import writes without freezing anyone: in short immediate transactions, with a pause
 * between them.
 *
 * A chunk holds SQLite's write lock, and in the server also the event loop: a request that
 * arrives meanwhile waits for it. So a chunk lasts `MIN_CHUNK_MS` while others are about (see
 * chunkPacer), and grows up to `MAX_CHUNK_MS` while nobody is (the command line alone): fewer,
 * larger commits write less, as each one rewrites the index pages it touched, and the queue's
 * index takes items in random order (100 ms chunks took a million-item import from 54–60 s to
 * 51.5 s). A server in another process that starts writing waits for one chunk at most, the
 * ~100 ms the README promises, and makes the import polite from its next chunk.
 */
export const MIN_CHUNK_MS = 12;
export const MAX_CHUNK_MS = 100;
/** A cap on a chunk's items, whatever the clock says. */
export const MAX_CHUNK_ITEMS = 5000;
/** How long a writer waits, in all, for another process to let go of the database. */
const MAX_WAIT_MS = 5 * 60_000;

export function isBusy(e: unknown): boolean {
	const code = (e as { code?: unknown })?.code;
	return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Runs `work` in one IMMEDIATE transaction: it takes the write lock at BEGIN, so it never fails
 * half-way with SQLITE_BUSY_SNAPSHOT the way a deferred one does when another process writes
 * between its first read and its first write.
 *
 * When another process holds the lock, this waits its turn with an asynchronous backoff instead
 * of SQLite's busy handler, which would sleep with the event loop blocked: the connection's
 * busy timeout is lifted for the BEGIN alone, and restored before `work` runs.
 *
 * `unsynced` commits without syncing the log (synchronous = NORMAL for this transaction): for
 * an import's chunks, which nobody sees until the last, and which the import syncs once at its
 * end (writer.ts). A crash before then loses only an `importing` batch, which the next start
 * removes anyway.
 */
export async function inImmediateTransaction<T>(
	client: Database.Database,
	work: () => T,
	options: { foreignKeys?: false; unsynced?: true } = {}
): Promise<T> {
	const started = performance.now();
	for (let attempt = 0; ; attempt++) {
		const timeout = client.pragma('busy_timeout', { simple: true }) as number;
		let restored = false;
		const restore = () => {
			if (restored) return;
			restored = true;
			client.pragma(`busy_timeout = ${timeout}`);
		};
		client.pragma('busy_timeout = 0');
		// Only settable outside a transaction, and back on before anything else can run.
		const keys = options.foreignKeys === false && client.pragma('foreign_keys', { simple: true });
		if (keys) client.pragma('foreign_keys = OFF');
		const synchronous =
			options.unsynced && (client.pragma('synchronous', { simple: true }) as number);
		if (synchronous && synchronous > 1) client.pragma('synchronous = NORMAL');
		try {
			return client
				.transaction(() => {
					restore();
					return work();
				})
				.immediate();
		} catch (e) {
			// Busy after `restore` would be a statement inside the transaction: not ours to retry.
			const waitedTooLong = performance.now() - started > MAX_WAIT_MS;
			if (restored || !isBusy(e) || waitedTooLong) throw e;
		} finally {
			restore();
			if (keys) client.pragma('foreign_keys = ON');
			if (synchronous && synchronous > 1) client.pragma(`synchronous = ${synchronous}`);
		}
		await sleep(Math.min(2 ** attempt, 50));
	}
}

/** How long an import stays polite after another connection last wrote. */
const POLITE_FOR_MS = 1000;

/**
 * Paces the chunks of one import. Alone, it pauses a millisecond between chunks and lets them
 * grow to `MAX_CHUNK_MS`. When others are about, it is polite: short chunks, each followed by a
 * pause as long as itself, so a request that arrives in the middle of a chunk waits for that
 * chunk only, and a writer in another process finds the lock free half of the time instead of
 * starving in SQLite's busy handler. Others are about when another connection has written
 * lately (PRAGMA data_version moved), or when this process holds client connections: it is the
 * server, whose requests share its event loop with the import.
 *
 * A polite pause also syncs the log off the main thread, so the chunks, which commit without a
 * sync (inImmediateTransaction's `unsynced`), never leave much for a sync on the server's
 * thread to flush at once: a lead's write, or SQLite's own checkpoint when the worker falls
 * behind. Unsynced chunks piling up made draft saves wait 750 ms during a 100,000-item import.
 */
export function chunkPacer(client: Database.Database) {
	const syncLog = logSyncFor(client);
	let version: unknown;
	let politeUntil = 0;
	let budgetMs = MIN_CHUNK_MS;
	return {
		budgetMs: () => budgetMs,
		async pause(chunkMs: number): Promise<void> {
			const current = client.pragma('data_version', { simple: true });
			if (version !== undefined && current !== version) {
				politeUntil = performance.now() + POLITE_FOR_MS;
			}
			version = current;
			const polite = performance.now() < politeUntil || servesClients();
			if (polite) await Promise.all([sleep(Math.max(1, Math.round(chunkMs))), syncLog()]);
			else await sleep(1);
			budgetMs = polite ? MIN_CHUNK_MS : Math.min(MAX_CHUNK_MS, budgetMs * 1.5);
		}
	};
}

function servesClients(): boolean {
	return process.getActiveResourcesInfo().includes('TCPSocketWrap');
}

/** Pulls items into the current chunk until its time or its item cap runs out. */
export function fillChunk<T>(
	source: Iterator<T>,
	next: IteratorResult<T>,
	write: (item: T) => void,
	budgetMs: number
): IteratorResult<T> {
	const deadline = performance.now() + budgetMs;
	for (let n = 1; !next.done; n++) {
		write(next.value);
		next = source.next();
		if (n >= MAX_CHUNK_ITEMS || performance.now() >= deadline) break;
	}
	return next;
}
