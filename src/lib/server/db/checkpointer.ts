import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

type CheckpointResult = { busy: number; log: number; checkpointed: number };

/**
 * Checkpoints the write-ahead log from a worker thread, so the server's requests do not wait
 * for it.
 *
 * A checkpoint copies the log back into the database file and syncs both; the syncs are what
 * take time (about 35 ms for 20 MB here). Run by SQLite's automatic checkpoint, they happen
 * inside whichever commit crosses the threshold, and every request queued behind it waits.
 *
 * Here a worker with its own connection checkpoints passively every `intervalMs`, while the
 * server goes on writing. SQLite rewinds the log at the next commit once all of it has been
 * copied back, but a passive checkpoint leaves out whatever was written while it ran. So once
 * the log holds `finishFrames` frames or more, the worker goes round again at once, each round
 * copying back only what the last one left, until one copies back everything: a gap of a few
 * milliseconds between the server's commits is enough. The server itself never checkpoints: a
 * checkpoint on its thread waited for two syncs (10–20 ms here) while every request queued
 * behind it, which alone set the review benchmark's p99. SQLite's automatic checkpoint stays
 * on, three times further out, in case the worker falls behind.
 */
export function startCheckpointer(
	client: Database.Database,
	options: { intervalMs?: number; finishFrames?: number } = {}
): { stop: () => Promise<void>; stats: () => { rounds: number; finished: number } } {
	const { intervalMs = 250, finishFrames = 2000 } = options;
	client.pragma(`wal_autocheckpoint = ${finishFrames * 3}`);
	let rounds = 0;
	let finished = 0;
	const worker = new Worker(WORKER_SOURCE, {
		eval: true,
		workerData: {
			sqliteUrl: pathToFileURL(createRequire(import.meta.url).resolve('better-sqlite3')).href,
			path: client.name,
			intervalMs,
			finishFrames
		}
	});
	worker.on('message', ({ busy, log, checkpointed }: CheckpointResult) => {
		rounds += 1;
		if (!busy && log >= finishFrames && checkpointed === log) finished += 1;
	});
	worker.on('error', (e) => console.error('The checkpoint worker stopped:', e));
	// Never what keeps the process alive (unref after the listeners, which ref it again).
	worker.unref();
	running.add(client);
	return {
		stop: () => {
			running.delete(client);
			return worker.terminate().then(() => undefined);
		},
		stats: () => ({ rounds, finished })
	};
}

/** Connections a checkpoint worker serves: the server's, or one in the middle of a long write. */
const running = new WeakSet<Database.Database>();

/**
 * Runs `work`, a long write such as a large import, with a checkpoint worker, unless the
 * connection has one already (the server's). From the command line, SQLite's automatic
 * checkpoints otherwise run inside the import's commits: a million-item import waited seconds
 * in all for their syncs, which the worker takes on another thread while the import goes on.
 */
export async function withCheckpointer<T>(
	client: Database.Database,
	work: () => Promise<T>
): Promise<T> {
	if (client.memory || running.has(client)) return work();
	const automatic = client.pragma('wal_autocheckpoint', { simple: true }) as number;
	const checkpointer = startCheckpointer(client);
	try {
		return await work();
	} finally {
		await checkpointer.stop();
		client.pragma(`wal_autocheckpoint = ${automatic}`);
	}
}

// Dynamic imports only: the worker's source runs as a module or as a script depending on where
// the app is started from, and import() works in both. A round that leaves part of a long log
// behind is followed by another after a millisecond, up to 200 in a row, then the usual pause.
const WORKER_SOURCE = `
import('node:worker_threads').then(async ({ parentPort, workerData }) => {
	const { default: Database } = await import(workerData.sqliteUrl);
	const db = new Database(workerData.path);
	db.pragma('synchronous = NORMAL');
	let chase = 0;
	const round = () => {
		let again = false;
		try {
			const [result] = db.pragma('wal_checkpoint(PASSIVE)');
			parentPort.postMessage(result);
			again = result.log >= workerData.finishFrames && result.checkpointed < result.log;
		} catch {
			// Locked for a moment: the next round tries again.
		}
		chase = again && chase < 200 ? chase + 1 : 0;
		setTimeout(round, chase > 0 ? 1 : workerData.intervalMs);
	};
	setTimeout(round, workerData.intervalMs);
});
`;
