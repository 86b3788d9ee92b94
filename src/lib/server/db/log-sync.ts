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
 * call has finished: everything written to the log before the call is then on disk. Calls that
 * come while a sync runs share the one that follows it, so there is at most one sync running
 * and one waiting, however many groups commit meanwhile.
 *
 * The log only ever grows or starts over in place while the server has it open, and SQLite
 * syncs it before any checkpoint copies it back; so a sync of the file covers every commit
 * written before it, wherever SQLite has moved its pages since. That is also why one file
 * descriptor, opened at the first sync, serves every later one: opening and closing the file
 * for each sync cost the server as much as the sync's own bookkeeping. Its folder is synced
 * once too, in case the log file itself is new.
 */
export function createLogSync(logPath: string): () => Promise<void> {
	let descriptor: number | undefined;
	let running: Promise<void> | undefined;
	let waiting: Promise<void> | undefined;

	async function syncNow(): Promise<void> {
		if (descriptor === undefined) {
			descriptor = await openFile(logPath, 'r');
			await syncData(descriptor);
			const folder = await openFile(dirname(logPath), 'r');
			try {
				await syncAll(folder);
			} finally {
				await closeFile(folder);
			}
			return;
		}
		await syncData(descriptor);
	}

	function start(): Promise<void> {
		const sync = syncNow().finally(() => {
			if (running === sync) running = undefined;
		});
		running = sync;
		return sync;
	}

	return function synced(): Promise<void> {
		if (waiting) return waiting;
		if (!running) return start();
		// The sync running may have started before this commit was written: wait for the next.
		const next = running
			.catch(() => {})
			.then(() => {
				waiting = undefined;
				return start();
			});
		waiting = next;
		return next;
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
