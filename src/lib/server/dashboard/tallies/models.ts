import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { statement } from '../../db/statements';
import { nextTurn } from '../../item-records';
import { compareModels, type TraitModels } from '../model-comparison';

/**
 * Trait by model from the game counts the writes keep. Fitting is quick, but the bootstrap
 * behind the intervals can take half a second per trait (up to 20,000 games), so each
 * trait's summary is kept with a digest of the counts it came from and computed again only
 * when they change; between traits the server answers others.
 */

/**
 * The model name of the row that counts, per trait, the items that gave at least one game: no
 * model is named by the empty string, and the minimums need the items as well as the games.
 */
export const ITEMS_ROW = '';

/** Part of the digest: change it when compareModels changes what it gives for the same games. */
const SUMMARY_VERSION = 'bradley-terry 1';

export async function tallyModels(
	client: Database.Database,
	batchId: number,
	keys: Map<number, string>
): Promise<TraitModels[]> {
	const byTrait = new Map<number, Map<string, number>>();
	const rows = statement(
		client,
		`SELECT trait_id, winner, loser, games FROM model_game_tallies WHERE batch_id = ? AND games > 0`
	)
		.raw()
		.all(batchId) as [number, string, string, number][];
	const items = new Map<number, number>();
	for (const [traitId, winner, loser, games] of rows) {
		if (winner === ITEMS_ROW && loser === ITEMS_ROW) {
			items.set(traitId, games);
			continue;
		}
		let counts = byTrait.get(traitId);
		if (!counts) byTrait.set(traitId, (counts = new Map()));
		counts.set(JSON.stringify([winner, loser]), games);
	}
	const kept = new Map(
		(
			statement(client, `SELECT trait_id, digest, summary FROM model_summaries WHERE batch_id = ?`)
				.raw()
				.all(batchId) as [number, string, string][]
		).map(([traitId, digest, summary]) => [traitId, { digest, summary }])
	);
	const traits = [...byTrait.entries()]
		.map(([traitId, counts]) => ({ traitId, key: keys.get(traitId) ?? String(traitId), counts }))
		.sort((a, b) => (a.key < b.key ? -1 : 1));
	const summaries: TraitModels[] = [];
	for (const { traitId, key, counts } of traits) {
		const digest = digestOf(counts);
		const found = kept.get(traitId);
		if (found?.digest === digest) {
			const summary = JSON.parse(found.summary) as Omit<TraitModels, 'key' | 'items'>;
			summaries.push({ key, items: items.get(traitId) ?? 0, ...summary });
			continue;
		}
		await nextTurn();
		const summary = compareModels(counts);
		summaries.push({ key, items: items.get(traitId) ?? 0, ...summary });
		// JSON keeps every finite number exactly; anything else is computed afresh next time.
		if (finite(summary)) {
			statement(
				client,
				`INSERT INTO model_summaries (batch_id, trait_id, digest, summary) VALUES (?, ?, ?, ?)
				 ON CONFLICT (batch_id, trait_id) DO UPDATE SET digest = excluded.digest, summary = excluded.summary`
			).run(batchId, traitId, digest, JSON.stringify(summary));
		}
	}
	return summaries;
}

function digestOf(counts: Map<string, number>): string {
	const entries = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return createHash('sha256')
		.update(JSON.stringify([SUMMARY_VERSION, entries]))
		.digest('hex');
}

/** True when every number is finite (intervals may be null, never NaN or infinite). */
function finite(summary: Omit<TraitModels, 'key' | 'items'>): boolean {
	return summary.models.every((m) =>
		[m.strength, m.lower ?? 0, m.upper ?? 0, m.winRate].every(Number.isFinite)
	);
}
