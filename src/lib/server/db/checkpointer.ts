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
 * server goes on writing. A passive checkpoint never catches up with a busy writer, though, and
 * SQLite only rewinds the log once it has all been copied back. So once the worker has copied
 * back a log of `finishFrames` frames or more, the server's connection copies the few frames
 * written meanwhile itself, and its next commit starts the log from the beginning again. That
 * small checkpoint still waits for two syncs (10–20 ms here), so it comes every ~8 MB of log,
 * not every round; the review benchmark did no better with 4 or 24 MB. SQLite's automatic
 * checkpoint stays on, three times further out, in case the worker falls behind.
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
			intervalMs
		}
	});
	worker.on('message', ({ busy, log, checkpointed }: CheckpointResult) => {
		// Finish only a log the worker has copied back in full; what is left is what the server
		// wrote during the worker's round.
		rounds += 1;
		if (!client.open || busy || log < finishFrames || checkpointed < log) return;
		try {
			const [result] = client.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
			// Busy when the worker has started its next round: the next message tries again.
			if (!result.busy && result.checkpointed === result.log) finished += 1;
		} catch (e) {
			console.error('The write-ahead log could not be checkpointed:', e);
		}
	});
	worker.on('error', (e) => console.error('The checkpoint worker stopped:', e));
	// Never what keeps the process alive (unref after the listeners, which ref it again).
	worker.unref();
	return {
		stop: () => worker.terminate().then(() => undefined),
		stats: () => ({ rounds, finished })
	};
}

// Dynamic imports only: the worker's source runs as a module or as a script depending on where
// the app is started from, and import() works in both.
const WORKER_SOURCE = `
import('node:worker_threads').then(async ({ parentPort, workerData }) => {
	const { default: Database } = await import(workerData.sqliteUrl);
	const db = new Database(workerData.path);
	db.pragma('synchronous = NORMAL');
	setInterval(() => {
		try {
			const [result] = db.pragma('wal_checkpoint(PASSIVE)');
			parentPort.postMessage(result);
		} catch {
			// Locked for a moment: the next round tries again.
		}
	}, workerData.intervalMs);
});
`;
