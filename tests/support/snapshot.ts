import { refreshStaleTallies } from '../../src/lib/server/dashboard';
import type { AppDB } from '../../src/lib/server/db';

/**
 * Columns that every signed-in request may touch on its way in: a session's use extends it, and
 * a token's use is noted to the minute. Anything else that changes was written by the request.
 */
const TOUCHED_ON_USE: Record<string, string[]> = {
	sessions: ['last_used_at', 'expires_at'],
	api_tokens: ['last_used_at']
};

/** The app's tables, by name (SQLite's own left out). */
export function tableNames(db: AppDB): string[] {
	return db.$client
		.prepare(
			`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
		)
		.pluck()
		.all() as string[];
}

/**
 * Every row of every table, as text: two snapshots are equal when a request wrote nothing (row
 * counts alone would miss an update, such as a role changed or a batch locked).
 *
 * The dashboard's tallies are brought up to date first. Submits only mark their items stale,
 * and the server's refresher brings them in whenever it next runs, maybe in the middle of the
 * request under test: as they stand, the tallies would differ for reasons of timing alone.
 * Brought up to date, they differ only when the reviews they count do.
 */
export function snapshotDatabase(db: AppDB): Record<string, string> {
	const client = db.$client;
	const SLICE = 500;
	client
		.transaction(() => {
			while (refreshStaleTallies(db, { limit: SLICE }) === SLICE);
		})
		.immediate();
	return Object.fromEntries(
		tableNames(db).map((table) => {
			const skip = new Set(TOUCHED_ON_USE[table] ?? []);
			// Sorted as text, not by rowid: the dashboard's tallies are WITHOUT ROWID tables.
			const rows = client.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
			const kept = rows
				.map((row) =>
					JSON.stringify(
						Object.fromEntries(Object.entries(row).filter(([column]) => !skip.has(column)))
					)
				)
				.sort();
			return [table, kept.join('\n')];
		})
	);
}
