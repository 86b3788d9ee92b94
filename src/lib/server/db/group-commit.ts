import type Database from 'better-sqlite3';
import type { AppDB } from './index';

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
 * own promise. Every promise settles only after the commit, and the connection commits with
 * `synchronous = FULL` (db/index.ts): the commit returns once the log is synced to disk, so
 * nothing is acknowledged before it would survive a power cut. The group shares that one sync.
 * If the commit fails, every promise of the group rejects.
 */
export function createGroupCommit(client: Database.Database) {
	let queue: Pending[] = [];

	function flush(): void {
		const group = queue;
		queue = [];
		const outcomes: Outcome[] = [];
		try {
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
		}
		group.forEach(({ resolve, reject }, i) => {
			const outcome = outcomes[i];
			if (outcome.ok) resolve(outcome.value);
			else reject(outcome.error);
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
export function inGroupCommit<T>(db: AppDB, work: () => T): Promise<T> {
	let grouped = groups.get(db.$client);
	if (!grouped) groups.set(db.$client, (grouped = createGroupCommit(db.$client)));
	return grouped(work);
}
