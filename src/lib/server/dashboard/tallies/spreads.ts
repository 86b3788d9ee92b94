import type Database from 'better-sqlite3';
import type { TraitFacts } from '../../db/schema';
import { statement } from '../../db/statements';
import { traitKeys } from './read';
import { unitScores } from './state';
import { spreadFromTallies, type ItemSpread } from '../../stats';

/** How much an item's reviewers disagree, as the adjudication list ranks it. */
export type TalliedSpread = ItemSpread & { itemId: number; traitKey: string; reviews: number };

/**
 * Every item of the batch with two or more submitted reviews, and its spread, from the item
 * tallies rather than from every review: the same figures as `itemSpread` over the whole item
 * (the tallies keep each response's scores in review order, and the W of its rankings), for a
 * read of one small row per item. Null while the batch's tallies are not built yet.
 */
export function readTalliedSpreads(
	client: Database.Database,
	batchId: number
): TalliedSpread[] | null {
	const built = statement(client, `SELECT traits FROM batch_tallies WHERE batch_id = ?`).get(
		batchId
	) as { traits: string } | undefined;
	if (!built) return null;
	const keys = traitKeys(client, JSON.parse(built.traits) as TraitFacts[]);
	const rows = statement(
		client,
		`SELECT t.item_id AS itemId, t.trait_id AS traitId, t.concordance, t.state, r.reviews
		   FROM (SELECT item_id, count(*) AS reviews FROM reviews
		          WHERE batch_id = ? AND status = 'submitted' GROUP BY item_id HAVING count(*) >= 2) r
		   JOIN item_tallies t ON t.item_id = r.item_id`
	).all(batchId) as {
		itemId: number;
		traitId: number;
		concordance: number | null;
		state: string;
		reviews: number;
	}[];
	return rows.map(({ itemId, traitId, concordance, state, reviews }) => {
		const { u: units } = JSON.parse(state) as { u: number[][] };
		const scores = units.map(unitScores);
		const traitKey = keys.get(traitId) ?? String(traitId);
		return { itemId, traitKey, reviews, ...spreadFromTallies(scores, concordance) };
	});
}
