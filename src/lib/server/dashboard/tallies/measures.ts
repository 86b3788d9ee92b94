import type Database from 'better-sqlite3';
import { statement } from '../../db/statements';
import { readItem } from '../../item-records';
import {
	aiDisagreement,
	byKey,
	emptyTally,
	meansByKey,
	measureItem,
	sortedByKey,
	withRate,
	type ItemMeasures,
	type ReferenceTally
} from '../item-measures';
import { tallyModels } from './models';
import type { BatchTallies } from './read';

/** The item measures (itemMeasures) from the tallies; only the listed worst items are read. */
export async function tallyItemMeasures(
	client: Database.Database,
	batchId: number,
	tallies: BatchTallies
): Promise<ItemMeasures> {
	const reference = emptyTally();
	const referenceByTrait = new Map<string, ReferenceTally>();
	const rows = statement(
		client,
		`SELECT trait_id AS traitId, items, pairs, above, tied, below FROM reference_tallies
		  WHERE batch_id = ? AND items <> 0`
	).all(batchId) as (Omit<ReferenceTally, 'rate'> & { traitId: number })[];
	for (const { traitId, ...row } of rows) {
		const key = tallies.keys.get(traitId) ?? String(traitId);
		for (const tally of [reference, byKey(referenceByTrait, key, emptyTally)]) {
			tally.items += row.items;
			tally.pairs += row.pairs;
			tally.above += row.above;
			tally.tied += row.tied;
			tally.below += row.below;
		}
	}
	return {
		concordance: {
			...tallies.concordance.value,
			byTrait: meansByKey(tallies.concordanceByTrait)
		},
		humanVsAi: {
			itemsWithAi: tallies.facts.reduce((sum, f) => sum + f.withAi, 0),
			overall: tallies.tau.value,
			byTrait: meansByKey(tallies.tauByTrait),
			disagreements: tallies.disagreements.map((itemId) => {
				const item = readItem(client, batchId, itemId)!;
				return aiDisagreement(item, measureItem(item));
			})
		},
		reference: {
			...withRate(reference),
			byTrait: sortedByKey(referenceByTrait).map(([key, t]) => ({ key, ...withRate(t) }))
		},
		byModel: await tallyModels(client, batchId, tallies.keys)
	};
}
