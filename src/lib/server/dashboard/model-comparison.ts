import type { ResponseRecord } from '../item-records';
import { bootstrapBradleyTerry, fitBradleyTerry, winRates, type Comparison } from '../stats';

/**
 * Trait by model: within each item, every pair of responses from two different models is one
 * game, won by the response the human consensus puts higher (ties are no game). Bradley-Terry
 * strengths with bootstrap intervals and plain win rates summarise the games per trait.
 */

/**
 * The games within one item, as [winner, loser] models. `position`: the consensus position of
 * each response (1 = best).
 */
export function itemGames(
	responses: readonly ResponseRecord[],
	position: Map<number, number>
): [string, string][] {
	const games: [string, string][] = [];
	for (let i = 0; i < responses.length; i++) {
		for (let j = i + 1; j < responses.length; j++) {
			const a = responses[i];
			const b = responses[j];
			if (!a.model || !b.model || a.model === b.model) continue;
			const pa = position.get(a.id);
			const pb = position.get(b.id);
			if (pa === undefined || pb === undefined || pa === pb) continue;
			games.push(pa < pb ? [a.model, b.model] : [b.model, a.model]);
		}
	}
	return games;
}

/** Games per trait, as counts per (winner, loser), so memory does not grow with the batch. */
export class ModelGames {
	private readonly byTrait = new Map<string, Map<string, number>>();
	/** Items that gave at least one game, per trait. */
	private readonly items = new Map<string, number>();

	addItem(traitKey: string, responses: readonly ResponseRecord[], position: Map<number, number>) {
		let played = false;
		for (const [winner, loser] of itemGames(responses, position)) {
			this.add(traitKey, winner, loser, 1);
			played = true;
		}
		if (played) this.items.set(traitKey, (this.items.get(traitKey) ?? 0) + 1);
	}

	/** Counts `count` items of `traitKey` that gave at least one game (for kept tallies). */
	addItems(traitKey: string, count: number) {
		this.items.set(traitKey, (this.items.get(traitKey) ?? 0) + count);
	}

	add(traitKey: string, winner: string, loser: string, count: number) {
		let games = this.byTrait.get(traitKey);
		if (!games) this.byTrait.set(traitKey, (games = new Map()));
		const key = JSON.stringify([winner, loser]);
		games.set(key, (games.get(key) ?? 0) + count);
	}

	/** One summary per trait with games between at least two models, by trait key. */
	summarise(options: CompareOptions = {}): TraitModels[] {
		return [...this.byTrait.entries()]
			.sort(([a], [b]) => (a < b ? -1 : 1))
			.map(([key, games]) => ({
				key,
				items: this.items.get(key) ?? 0,
				...compareModels(games, options)
			}));
	}
}

export type ModelStanding = {
	model: string;
	/** Bradley-Terry log-strength, centred on 0 over the trait's models. */
	strength: number;
	/** 95% percentile bootstrap interval; null when not computed. */
	lower: number | null;
	upper: number | null;
	wins: number;
	games: number;
	winRate: number;
};

export type TraitModels = {
	key: string;
	/** Items that gave at least one game. */
	items: number;
	games: number;
	/** Strongest first. */
	models: ModelStanding[];
	/** False when there were too many games to bootstrap in reasonable time. */
	intervals: boolean;
};

/** Over this many games the intervals are already narrow and bootstrapping them takes seconds. */
const MAX_BOOTSTRAP_GAMES = 20_000;

export type CompareOptions = { samples?: number; maxBootstrapGames?: number };

/**
 * Strengths, intervals and win rates from game counts keyed by JSON [winner, loser]. The games
 * are taken in key order, so the seeded bootstrap depends only on the counts, not on the order
 * in which items were read: a running tally and a full recount give the same intervals.
 */
export function compareModels(
	counts: Map<string, number>,
	{ samples = 200, maxBootstrapGames = MAX_BOOTSTRAP_GAMES }: CompareOptions = {}
): Omit<TraitModels, 'key' | 'items'> {
	const weighted: Comparison[] = [];
	let games = 0;
	const ordered = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	for (const [key, count] of ordered) {
		if (count === 0) continue;
		const [winner, loser] = JSON.parse(key) as [string, string];
		weighted.push({ winner, loser, weight: count });
		games += count;
	}
	const fit = fitBradleyTerry(weighted);
	const records = winRates(weighted);
	// The bootstrap resamples games, so it needs them one by one.
	const intervals = games <= maxBootstrapGames;
	const bootstrap = intervals
		? bootstrapBradleyTerry(
				weighted.flatMap(({ winner, loser, weight = 1 }) =>
					Array.from({ length: weight }, () => ({ winner, loser }))
				),
				{ samples, seed: 1 }
			)
		: null;
	const models = [...fit.strengths.entries()]
		.map(([model, strength]) => {
			const record = records.get(model)!;
			const interval = bootstrap?.get(model);
			return {
				model,
				strength,
				lower: interval?.lower ?? null,
				upper: interval?.upper ?? null,
				wins: record.wins,
				games: record.games,
				winRate: record.rate
			};
		})
		.sort((a, b) => b.strength - a.strength || (a.model < b.model ? -1 : 1));
	return { games, models, intervals };
}
