import type { AppDB } from '../../db';
import { inImmediateTransaction } from '../../imports/chunks';
import { hasStaleTallies, refreshStaleTallies } from './stale';

/**
 * Refreshes the stale marks that submits and edits leave (stale.ts) in the server's idle
 * moments, so that a dashboard opened later finds little or nothing to refresh first.
 *
 * Small slices, each its own unsynced immediate transaction: one holds the event loop and the
 * write lock about as long as one submit does, and never syncs the log on the server's thread.
 * While marks remain it goes on at the next turn (setImmediate, after the requests already
 * waiting); otherwise it looks every `idleMs` with one step down an index. Another process
 * holding the write lock is waited for (inImmediateTransaction), without blocking the loop.
 * Errors are logged: a request never sees them, and the next round tries again.
 */
export function startTallyRefresher(
	db: Pick<AppDB, '$client'>,
	options: { sliceItems?: number; idleMs?: number } = {}
): { stop: () => Promise<void> } {
	const { sliceItems = 16, idleMs = 250 } = options;
	const client = db.$client;
	let stopped = false;
	let cancel = () => {};
	let slice: Promise<unknown> = Promise.resolve();

	const schedule = (more: boolean) => {
		if (stopped) return;
		// Never what keeps the process alive.
		if (more) {
			const next = setImmediate(round).unref();
			cancel = () => clearImmediate(next);
		} else {
			const next = setTimeout(round, idleMs).unref();
			cancel = () => clearTimeout(next);
		}
	};
	function round() {
		try {
			if (!client.open) return;
			if (!hasStaleTallies(client)) return schedule(false);
		} catch (e) {
			console.error('Checking for stale dashboard tallies failed:', e);
			return schedule(false);
		}
		slice = inImmediateTransaction(client, () => refreshStaleTallies(db, { limit: sliceItems }), {
			unsynced: true
		}).then(
			(taken) => schedule(taken >= sliceItems),
			(e: unknown) => {
				console.error('Refreshing the dashboard tallies failed:', e);
				schedule(false);
			}
		);
	}
	schedule(false);
	return {
		/** Stops, after the slice under way if any. */
		stop: () => {
			stopped = true;
			cancel();
			return slice.then(() => undefined);
		}
	};
}
