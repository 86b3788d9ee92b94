import type Database from 'better-sqlite3';
import type { TraitFacts } from '../../db/schema';
import { statement } from '../../db/statements';
import { byKey, Disagreements, Mean } from '../item-measures';

/**
 * What the dashboard reads for every counted item of a batch, in item order: a few numbers
 * each, from one covering index. Means over items are summed here, in item order, rather than
 * kept as running sums: they then come out exactly as a full recount gives them, and a sum
 * that items are added to and taken out of for years never drifts.
 */
export type BatchTallies = {
	overlap: number;
	/** Every trait with items in the batch. */
	facts: TraitFacts[];
	/** Trait keys by id, in key order. */
	keys: Map<number, string>;
	/** Scores in submitted reviews. */
	ratings: number;
	/** Traits with scores, in the order they first appear (by item). */
	ratedTraits: Set<number>;
	concordance: Mean;
	concordanceByTrait: Map<string, Mean>;
	tau: Mean;
	tauByTrait: Map<string, Mean>;
	/** Items whose consensus departs most from the AI order, worst first. */
	disagreements: number[];
	/** Submitted reviews counted as progress (up to the overlap per item), per trait id. */
	done: Map<number, number>;
};

/** The batch's tallies; the batch must be built (ensureBatchTallies). */
export function readBatchTallies(
	client: Database.Database,
	batchId: number,
	top: number
): BatchTallies {
	const built = statement(
		client,
		`SELECT bt.traits, b.overlap FROM batch_tallies bt JOIN batches b ON b.id = bt.batch_id
		  WHERE bt.batch_id = ?`
	).get(batchId) as { traits: string; overlap: number } | undefined;
	if (!built) throw new Error(`The tallies of batch ${batchId} are not built.`);
	const facts = JSON.parse(built.traits) as TraitFacts[];
	const keys = traitKeys(client, facts);
	const tallies: BatchTallies = {
		overlap: built.overlap,
		facts,
		keys,
		ratings: 0,
		ratedTraits: new Set(),
		concordance: new Mean(),
		concordanceByTrait: new Map(),
		tau: new Mean(),
		tauByTrait: new Map(),
		disagreements: [],
		done: new Map()
	};
	const worst = new Disagreements<number>(top);
	const rows = statement(
		client,
		`SELECT item_id, trait_id, submitted, ratings, concordance, ai_tau FROM item_tallies
		  WHERE batch_id = ? ORDER BY item_id`
	)
		.raw()
		.iterate(batchId) as IterableIterator<
		[number, number, number, number, number | null, number | null]
	>;
	for (const [itemId, traitId, submitted, ratings, concordance, tau] of rows) {
		const key = keys.get(traitId) ?? String(traitId);
		if (ratings > 0) tallies.ratedTraits.add(traitId);
		tallies.ratings += ratings;
		tallies.done.set(
			traitId,
			(tallies.done.get(traitId) ?? 0) + Math.min(submitted, built.overlap)
		);
		if (concordance !== null) {
			tallies.concordance.add(concordance);
			byKey(tallies.concordanceByTrait, key, () => new Mean()).add(concordance);
		}
		if (tau !== null) {
			tallies.tau.add(tau);
			byKey(tallies.tauByTrait, key, () => new Mean()).add(tau);
			worst.offer(itemId, tau, () => itemId);
		}
	}
	tallies.disagreements = worst.values;
	return tallies;
}

/** In key order, as SQLite sorts them. */
export function traitKeys(client: Database.Database, facts: TraitFacts[]): Map<number, string> {
	if (facts.length === 0) return new Map();
	const rows = client
		.prepare(
			`SELECT id, key FROM traits WHERE id IN (${facts.map(() => '?').join(', ')}) ORDER BY key`
		)
		.raw()
		.all(...facts.map((f) => f.traitId)) as [number, string][];
	return new Map(rows);
}
