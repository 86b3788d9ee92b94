/**
 * Bradley-Terry intervals that resample items, not games. The games of one item share its
 * prompt, its responses and its reviewers' consensus, so they rise and fall together: resampling
 * them one by one treats them as independent and gives intervals that are too narrow. Here a
 * resample draws whole items with replacement and keeps every game of each item drawn.
 */
import {
	percentileInterval,
	resampleBradleyTerry,
	strengthIntervals,
	type BootstrapOptions,
	type Comparison,
	type StrengthInterval
} from './bradley-terry';

export interface ItemBootstrapOptions extends BootstrapOptions {
	/** Pairs [from, to] whose difference in log-strength (to − from) gets an interval too. */
	differences?: readonly (readonly [string, string])[];
}

export interface DifferenceInterval {
	from: string;
	to: string;
	/** Log-strength of `to` minus that of `from` on all items; null when either never played. */
	difference: number | null;
	/** Percentile bounds over the resamples holding both; null when none did. */
	lower: number | null;
	upper: number | null;
	/** How many resamples held both players. */
	samples: number;
}

export interface ItemBootstrap {
	strengths: Map<string, StrengthInterval>;
	differences: DifferenceInterval[];
}

/**
 * `items`: the games of each item. Items with the same games are interchangeable, so they are
 * grouped, and a resample is how many of its drawn items fell in each group: the same draws as
 * resampling the items themselves, at the cost of one random number per item.
 */
export function bootstrapBradleyTerryByItem(
	items: readonly (readonly Comparison[])[],
	options: ItemBootstrapOptions = {}
): ItemBootstrap {
	const groupOf = new Map<string, number>();
	const itemGroup = new Int32Array(items.length);
	const comparisons: Comparison[] = [];
	const comparisonGroup: number[] = [];
	items.forEach((games, k) => {
		const key = itemKey(games);
		let group = groupOf.get(key);
		if (group === undefined) {
			group = groupOf.size;
			groupOf.set(key, group);
			for (const game of games) {
				comparisons.push(game);
				comparisonGroup.push(group);
			}
		}
		itemGroup[k] = group;
	});

	const perGroup = new Float64Array(groupOf.size);
	const times = new Float64Array(comparisons.length);
	const timesOf = (counts: Float64Array) => {
		comparisonGroup.forEach((group, c) => (times[c] = counts[group]));
		return times;
	};
	const groupSizes = new Float64Array(groupOf.size);
	for (const group of itemGroup) groupSizes[group]++;

	const resampled = resampleBradleyTerry(comparisons, options, {
		full: timesOf(groupSizes).slice(),
		draw: (random) => {
			perGroup.fill(0);
			for (let k = 0; k < items.length; k++) {
				perGroup[itemGroup[Math.floor(random() * items.length)]]++;
			}
			return timesOf(perGroup);
		}
	});

	const level = options.level ?? 0.95;
	const index = new Map(resampled.players.map((player, i) => [player, i]));
	const differences = (options.differences ?? []).map(([from, to]): DifferenceInterval => {
		const f = index.get(from);
		const t = index.get(to);
		if (f === undefined || t === undefined) {
			return { from, to, difference: null, lower: null, upper: null, samples: 0 };
		}
		const interval = percentileInterval(
			resampled.draws.map((draw) => draw[t] - draw[f]),
			level
		);
		return { from, to, difference: resampled.full[t] - resampled.full[f], ...interval };
	});
	return { strengths: strengthIntervals(resampled, level), differences };
}

/** The same games in any order give the same key. */
function itemKey(games: readonly Comparison[]): string {
	return JSON.stringify(
		games.map(({ winner, loser, weight = 1 }) => [winner, loser, weight]).sort(compareTriples)
	);
}

function compareTriples(a: (string | number)[], b: (string | number)[]): number {
	for (let i = 0; i < a.length; i++) {
		if (a[i] < b[i]) return -1;
		if (a[i] > b[i]) return 1;
	}
	return 0;
}
