import type { AppDB } from '../../db';
import { inGroupCommit } from '../../db/group-commit';
import { hasStaleTallies, refreshStaleTallies } from './stale';

/**
 * Refreshes the stale marks that submits and edits leave (stale.ts) while the server runs, so
 * that a dashboard opened later finds little or nothing to refresh first.
 *
 * A few items at a time, each slice a piece of work in the next group commit
 * (db/group-commit.ts): it shares the commit, and the pages, of the reviews that marked them,
 * instead of a transaction of its own (whose begin, pragmas and commit cost as much again as
 * the refresh, run 80 times a second under load). A slice holds the event loop well under a
 * millisecond. Slices never run back to back: while marks remain, the next waits `pauseMs`,
 * or as long as the last took if longer, so that requests in between wait for one slice at
 * most. Run back to back, the slices that a quarter of a second of submits left held such a
 * request for 15–20 ms, the review benchmark's p99. Otherwise it looks every `idleMs`, one step
 * down an index. Errors are logged: a request never sees them, and the next round tries again.
 */
export function startTallyRefresher(
	db: Pick<AppDB, '$client'>,
	options: { sliceItems?: number; idleMs?: number; pauseMs?: number } = {}
): { stop: () => Promise<void> } {
	const { sliceItems = 4, idleMs = 50, pauseMs = 5 } = options;
	const client = db.$client;
	let stopped = false;
	let cancel = () => {};
	let slice: Promise<unknown> = Promise.resolve();

	const schedule = (delayMs: number) => {
		if (stopped) return;
		// Never what keeps the process alive.
		const next = setTimeout(round, delayMs).unref();
		cancel = () => clearTimeout(next);
	};
	function round() {
		try {
			if (!client.open) return;
			if (!hasStaleTallies(client)) return schedule(idleMs);
		} catch (e) {
			console.error('Checking for stale dashboard tallies failed:', e);
			return schedule(idleMs);
		}
		const started = performance.now();
		slice = inGroupCommit(db, () => refreshStaleTallies(db, { limit: sliceItems })).then(
			(taken) =>
				schedule(taken >= sliceItems ? Math.max(pauseMs, performance.now() - started) : idleMs),
			(e: unknown) => {
				console.error('Refreshing the dashboard tallies failed:', e);
				schedule(idleMs);
			}
		);
	}
	schedule(idleMs);
	return {
		/** Stops, after the slice under way if any. */
		stop: () => {
			stopped = true;
			cancel();
			return slice.then(() => undefined);
		}
	};
}
