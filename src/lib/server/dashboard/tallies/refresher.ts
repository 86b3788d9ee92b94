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
 * request for 15–20 ms, the review benchmark's p99. A full slice doubles the next, up to
 * `maxSliceItems`, and a slice that empties the marks goes back to `sliceItems`: with four
 * items a slice, the refresher took at most about 700 items a second and fell behind a
 * saturated server's 1,300 submits; larger slices share more of their writes. Otherwise it
 * looks every `idleMs`, one step down an index. Errors are logged: a request never sees them,
 * and the next round tries again.
 */
export function startTallyRefresher(
	db: Pick<AppDB, '$client'>,
	options: { sliceItems?: number; maxSliceItems?: number; idleMs?: number; pauseMs?: number } = {}
): { stop: () => Promise<void>; stats: () => { slices: number; items: number } } {
	const { sliceItems = 4, maxSliceItems = 32, idleMs = 50, pauseMs = 5 } = options;
	const client = db.$client;
	let stopped = false;
	let cancel = () => {};
	let slice: Promise<unknown> = Promise.resolve();
	let size = sliceItems;
	let slices = 0;
	let items = 0;

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
		const limit = size;
		slice = inGroupCommit(db, () => refreshStaleTallies(db, { limit })).then(
			(taken) => {
				slices += 1;
				items += taken;
				const full = taken >= limit;
				size = full ? Math.min(limit * 2, maxSliceItems) : sliceItems;
				schedule(full ? Math.max(pauseMs, performance.now() - started) : idleMs);
			},
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
		},
		/** Slices run and items refreshed so far. */
		stats: () => ({ slices, items })
	};
}
