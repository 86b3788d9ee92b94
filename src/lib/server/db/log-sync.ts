import type Database from 'better-sqlite3';
import { close, fdatasync, fsync, open } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const openFile = promisify(open);
const syncData = promisify(fdatasync);
const syncAll = promisify(fsync);
const closeFile = promisify(close);

/**
 * Syncs a database's write-ahead log to disk on libuv's thread pool, so the server goes on
 * answering while the disk flushes. `synced()` resolves once a sync that started after the
 * call has finished: everything written to the log before the call is then on disk.
 *
 * The log only ever grows or starts over in place while the server has it open, and SQLite
 * syncs it before any checkpoint copies it back; so a sync of the file covers every commit
 * written before it, wherever SQLite has moved its pages since. That is also why one file
 * descriptor, opened at the first sync, serves every later one: opening and closing the file
 * for each sync cost the server as much as the sync's own bookkeeping. Its folder is synced
 * once too, in case the log file itself is new.
 */
export function createLogSync(logPath: string): () => Promise<void> {
	let descriptor: Promise<number> | undefined;
	async function openLog(): Promise<number> {
		const fd = await openFile(logPath, 'r');
		try {
			const folder = await openFile(dirname(logPath), 'r');
			try {
				await syncAll(folder);
			} finally {
				await closeFile(folder);
			}
		} catch (e) {
			await closeFile(fd);
			throw e;
		}
		return fd;
	}
	return createSyncQueue(async () => {
		if (!descriptor) {
			descriptor = openLog();
			// A failed open is tried again at the next sync.
			descriptor.catch(() => (descriptor = undefined));
		}
		await syncData(await descriptor);
	});
}

/**
 * Shares syncs between the callers of `synced()`. A sync already running may have started
 * before the caller's commit was written, so it cannot count for it: a caller gets a sync that
 * starts after its call. Up to `parallel` syncs run at once; a call made while that many run
 * waits for the next to start, and shares it with every call made meanwhile.
 *
 * With one at a time, a commit made just after a sync started waited for the rest of that sync
 * and then the whole of its own: under the review benchmark's realistic load, the commits' p99
 * wait for their sync was 5.3–5.8 ms, with syncs whose own p99 was 3.6–4.1 ms. With two, the
 * second starts at once and the disk takes it alongside the first: a p99 wait of 4.0–4.4 ms
 * (scripts/bench/review.ts; what the client sees moved less than the run-to-run noise). Three
 * did no better.
 */
export function createSyncQueue(sync: () => Promise<void>, parallel = 2): () => Promise<void> {
	let running = 0;
	let waiting: Promise<void> | undefined;
	let release: (() => void) | undefined;

	function start(): Promise<void> {
		running += 1;
		return sync().finally(() => {
			running -= 1;
			// The callers waiting get their sync now: later callers need one that starts later.
			const go = release;
			release = undefined;
			waiting = undefined;
			go?.();
		});
	}

	return function synced(): Promise<void> {
		if (waiting) return waiting;
		if (running < parallel) return start();
		waiting = new Promise<void>((resolve) => (release = resolve)).then(start);
		return waiting;
	};
}

const syncs = new WeakMap<Database.Database, () => Promise<void>>();

/**
 * The log sync of a connection's database (one descriptor for all who commit through it): group
 * commits and imports, whose transactions skip the sync and take it here once. A database in
 * memory has nothing to sync.
 */
export function logSyncFor(client: Database.Database): () => Promise<void> {
	if (client.memory) return () => Promise.resolve();
	let sync = syncs.get(client);
	if (!sync) syncs.set(client, (sync = createLogSync(`${client.name}-wal`)));
	return sync;
}
