import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Rows per table, by table name. */
export type TableCounts = Record<string, number>;

type Inspection = { counts: TableCounts; integrity: string | null };

/**
 * Writes a consistent copy of the database at `source` to `target` (a new file), and counts the
 * rows of each table in the copy.
 *
 * `VACUUM INTO` reads the whole database in one read transaction on a connection of its own,
 * so the copy is one moment of it however long it takes, and writers go on meanwhile (in WAL
 * mode readers never block them). SQLite's online backup API copies pages instead, but starts
 * over whenever another connection writes, so from the admin command, under a steady stream of
 * reviews, it may never finish (README, "Backups, restores and upgrades").
 *
 * It runs in a worker thread, so the server's requests do not wait for it. SQLite does not sync
 * the file VACUUM INTO writes: the caller does.
 */
export async function snapshotDatabase(source: string, target: string): Promise<TableCounts> {
	return (await runWorker({ source, target, integrity: false })).counts;
}

/**
 * Counts the rows of each table of a copy of the database (a backup, a restore), and runs
 * SQLite's integrity check on it: `ok`, or what is wrong.
 */
export function inspectCopy(path: string): Promise<{ counts: TableCounts; integrity: string }> {
	return runWorker({ source: path, target: null, integrity: true }) as Promise<{
		counts: TableCounts;
		integrity: string;
	}>;
}

function runWorker(task: {
	source: string;
	target: string | null;
	integrity: boolean;
}): Promise<Inspection> {
	return new Promise((resolve, reject) => {
		const worker = new Worker(WORKER_SOURCE, {
			eval: true,
			workerData: {
				...task,
				sqliteUrl: pathToFileURL(createRequire(import.meta.url).resolve('better-sqlite3')).href
			}
		});
		worker.once('message', resolve);
		worker.once('error', reject);
		worker.once('exit', (code) => {
			if (code !== 0) reject(new Error(`The backup worker stopped (exit code ${code}).`));
		});
	});
}

// Dynamic imports only: the source runs as a module or as a script depending on where the app
// is started from (see checkpointer.ts). A copy is switched to a rollback journal so that it is
// one self-contained file; the app turns write-ahead logging back on when it opens it.
const WORKER_SOURCE = `
import('node:worker_threads').then(async ({ parentPort, workerData }) => {
	const { default: Database } = await import(workerData.sqliteUrl);
	const { source, target, integrity } = workerData;
	if (target) {
		const live = new Database(source, { fileMustExist: true });
		try {
			live.pragma('busy_timeout = 5000');
			live.prepare('VACUUM INTO ?').run(target);
		} finally {
			live.close();
		}
	}
	const copy = new Database(target ?? source, { fileMustExist: true });
	try {
		copy.pragma('journal_mode = DELETE');
		const tables = copy
			.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
			.pluck()
			.all();
		const counts = {};
		for (const name of tables) {
			counts[name] = copy.prepare('SELECT count(*) FROM "' + name.replaceAll('"', '""') + '"').pluck().get();
		}
		const check = integrity ? copy.pragma('integrity_check').map((row) => row.integrity_check).join('; ') : null;
		parentPort.postMessage({ counts, integrity: check });
	} finally {
		copy.close();
	}
});
`;
