import type Database from 'better-sqlite3';
import type { AppDB } from './index';
import { logSyncFor } from './log-sync';

type Pending = {
	work: () => unknown;
	resolve: (value: unknown) => void;
	reject: (reason: unknown) => void;
};

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Group commit: the writes of requests that arrive together share one SQLite commit.
 *
 * Each commit writes every page it touched to the write-ahead log, and the review queue's
 * requests touch the same few pages (the leases, the newest reviews, their indexes). Run one
 * by one, 32 researchers' saves write those pages 32 times; run in one transaction, once. That
 * halves the database work of a request and shrinks the log, so checkpoints come less often.
 *
 * `grouped(work)` queues `work` and runs it, with the others queued in the same turn of the
 * event loop, inside one immediate transaction. Each piece of work keeps its own semantics:
 * its transactions become savepoints, so one that throws rolls back alone and rejects only its
 * own promise. If the commit fails, every promise of the group rejects.
 *
 * Every promise settles only once the commit is on disk, so nothing is acknowledged before it
 * would survive a power cut. The connection commits with `synchronous = FULL` (db/index.ts),
 * which syncs the log inside the commit, on the server's only thread: under a busy disk that
 * took 3 ms a commit, and up to 36, while every request waited. So a group commits with
 * `synchronous = NORMAL`, which writes the log without syncing it, and its promises settle
 * after `syncLog()` has synced the log off the main thread: the same guarantee, one sync per
 * group (fewer when groups commit while a sync runs), and the server answers others meanwhile.
 * Until then, other requests may already read the group's writes.
 */
export function createGroupCommit(
	client: Database.Database,
	syncLog: () => Promise<void> = logSyncFor(client)
) {
	let queue: Pending[] = [];
	// Read once: the connection's setting does not change while the server runs. The pragmas
	// that switch it around each group are prepared once too, as preparing cost more than running.
	const durability = client.pragma('synchronous', { simple: true }) as number;
	// FULL (2) or more: the sync is syncLog()'s, off the main thread.
	const deferSync = durability >= 2;
	const deferred = client.prepare('PRAGMA synchronous = NORMAL');
	const restored = client.prepare(`PRAGMA synchronous = ${durability}`);

	function flush(): void {
		const group = queue;
		queue = [];
		const outcomes: Outcome[] = [];
		try {
			if (deferSync) deferred.run();
			client
				.transaction(() => {
					for (const { work } of group) {
						// An I/O error or a full disk can roll back the whole transaction; what is left
						// would then run outside it, so it does not run at all.
						if (!client.inTransaction) {
							outcomes.push({ ok: false, error: new Error('The transaction was rolled back.') });
							continue;
						}
						try {
							outcomes.push({ ok: true, value: work() });
						} catch (error) {
							outcomes.push({ ok: false, error });
						}
					}
				})
				.immediate();
		} catch (error) {
			for (const { reject } of group) reject(error);
			return;
		} finally {
			if (deferSync) restored.run();
		}
		const settle = () =>
			group.forEach(({ resolve, reject }, i) => {
				const outcome = outcomes[i];
				if (outcome.ok) resolve(outcome.value);
				else reject(outcome.error);
			});
		if (!deferSync) return settle();
		syncLog().then(settle, (error) => {
			for (const { reject } of group) reject(error);
		});
	}

	return function grouped<T>(work: () => T): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			if (queue.push({ work, resolve: resolve as (value: unknown) => void, reject }) === 1) {
				setImmediate(flush);
			}
		});
	};
}

const groups = new WeakMap<Database.Database, ReturnType<typeof createGroupCommit>>();

/** Runs `work` in the database's next group commit (see createGroupCommit). */
export function inGroupCommit<T>(db: Pick<AppDB, '$client'>, work: () => T): Promise<T> {
	let grouped = groups.get(db.$client);
	if (!grouped) groups.set(db.$client, (grouped = createGroupCommit(db.$client)));
	return grouped(work);
}
