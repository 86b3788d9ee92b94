import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// The worker's whole program: its own connection, a passive checkpoint every interval.
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
	try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage(String(e)); }
}, workerData.intervalMs);
parentPort.on('message', (m) => { if (m === 'stop') { clearInterval(timer); db.close(); process.exit(0); } });
`;

/**
 * Moves write-ahead-log checkpoints off the request path. SQLite otherwise checkpoints inside
 * whichever write transaction crosses the threshold, and that request waits for the copy and
 * the fsyncs. A worker thread with its own connection does it every second instead; if the
 * worker fails, the connection goes back to checkpointing itself.
 */
export function startCheckpointer(
	client: Database.Database,
	path: string,
	intervalMs = 1000
): () => void {
	const driver = createRequire(import.meta.url).resolve('better-sqlite3');
	const worker = new Worker(PROGRAM, { eval: true, workerData: { driver, path, intervalMs } });
	worker.unref();
	client.pragma('wal_autocheckpoint = 0');
	const fallBack = (why: unknown) => {
		console.error('The checkpoint worker stopped; SQLite checkpoints inline again:', why);
		client.pragma('wal_autocheckpoint = 1000');
	};
	worker.on('error', fallBack);
	worker.on('message', (message) => console.error('checkpoint:', message));
	worker.on('exit', (code) => {
		if (code !== 0) fallBack(`exit code ${code}`);
	});
	return () => worker.postMessage('stop');
}
