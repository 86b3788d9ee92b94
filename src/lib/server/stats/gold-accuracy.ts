/**
 * Accuracy on gold items: how often a reviewer orders two responses the way the lead's expected
 * order does. Counted by pairs, because an expected order may hold ties (GOOD above BAD, with
 * several of each): only the pairs it decides are counted, and each counts once.
 */

/** Groups of tied response ids, best first. Responses in no group are not compared. */
export type GoldOrder = readonly (readonly number[])[];

/** One submitted review of a gold item: ranks (1 = best) and scores, keyed by response id. */
export type GoldReview = {
	order: GoldOrder;
	ranks: Readonly<Record<string, number>>;
	scores: Readonly<Record<string, number>>;
};

export type GoldAccuracy = {
	/** Gold items reviewed. */
	items: number;
	/** Response pairs the expected orders decide, over those items. */
	pairs: number;
	/** Of those, the pairs the reviewer ordered the same way. */
	agreed: number;
	/** agreed / pairs; null with no pairs. */
	accuracy: number | null;
	/** Wilson 95% interval of the accuracy; null with no pairs. */
	lower: number | null;
	upper: number | null;
};

/** Below this many gold items a reviewer's accuracy reads "too few to judge". */
export const MIN_GOLD_ITEMS = 3;
/** A judged accuracy below this gets a warning on the dashboard. */
export const GOLD_ACCURACY_WARNING = 0.75;

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/**
 * Wilson's score interval for a proportion (Wilson 1927): unlike the normal approximation it
 * stays inside [0, 1] and is sensible at 0 or n successes, which small gold samples often are.
 */
export function wilsonInterval(
	successes: number,
	trials: number,
	z = Z95
): { lower: number; upper: number } {
	if (!Number.isInteger(trials) || trials <= 0) throw new RangeError('trials must be positive');
	if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
		throw new RangeError(`successes must be a whole number from 0 to ${trials}`);
	}
	const p = successes / trials;
	const z2 = z * z;
	const denominator = 1 + z2 / trials;
	const centre = (p + z2 / (2 * trials)) / denominator;
	const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
	// At 0 or n successes the bound is exactly 0 or 1 on paper; rounding would leave 1 − ε.
	return {
		lower: successes === 0 ? 0 : centre - half,
		upper: successes === trials ? 1 : centre + half
	};
}

/** The pairs an expected order decides, as [better, worse] response ids. */
export function goldPairs(order: GoldOrder): [number, number][] {
	const pairs: [number, number][] = [];
	order.forEach((group, g) => {
		for (const worse of order.slice(g + 1).flat()) {
			for (const better of group) pairs.push([better, worse]);
		}
	});
	return pairs;
}

/**
 * The pairs of one review that agree with the expected order. The review's ranks are read, or
 * its scores when it ranked nothing. A tie, or a response left unranked and unscored, does not
 * order the pair at all, so it counts against the reviewer: the gold order says which is better.
 */
export function scoreGoldReview(review: GoldReview): { pairs: number; agreed: number } {
	const byRank = Object.keys(review.ranks).length > 0;
	// Higher is better for both, so ranks are negated.
	const value = (id: number): number | undefined => {
		const v = byRank ? review.ranks[id] : review.scores[id];
		return v === undefined || v === null ? undefined : byRank ? -v : v;
	};
	const pairs = goldPairs(review.order);
	let agreed = 0;
	for (const [better, worse] of pairs) {
		const a = value(better);
		const b = value(worse);
		if (a !== undefined && b !== undefined && a > b) agreed += 1;
	}
	return { pairs: pairs.length, agreed };
}

/** One reviewer's accuracy over their reviews of gold items. */
export function computeGoldAccuracy(reviews: readonly GoldReview[]): GoldAccuracy {
	let pairs = 0;
	let agreed = 0;
	for (const review of reviews) {
		const scored = scoreGoldReview(review);
		pairs += scored.pairs;
		agreed += scored.agreed;
	}
	const interval = pairs > 0 ? wilsonInterval(agreed, pairs) : null;
	return {
		items: reviews.length,
		pairs,
		agreed,
		accuracy: pairs > 0 ? agreed / pairs : null,
		lower: interval?.lower ?? null,
		upper: interval?.upper ?? null
	};
}

export type GoldReading = 'too-few' | 'below' | 'ok';

/**
 * What the dashboard says of an accuracy: "too few to judge" under MIN_GOLD_ITEMS gold items
 * (or no pair at all); a warning when the accuracy itself is below GOLD_ACCURACY_WARNING. The
 * point estimate, not the interval, decides: on a few items the interval's upper bound stays
 * high for almost anyone, and a lead would rather look at a reviewer once too often.
 */
export function goldReading(a: Pick<GoldAccuracy, 'items' | 'accuracy'>): GoldReading {
	if (a.items < MIN_GOLD_ITEMS || a.accuracy === null) return 'too-few';
	return a.accuracy < GOLD_ACCURACY_WARNING ? 'below' : 'ok';
}
