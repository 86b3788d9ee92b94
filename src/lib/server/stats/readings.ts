/**
 * One line of plain language per measure, for leads who do not read alpha or tau every day.
 * Each line shows the figure, rounded as everywhere else, then what it means on a published
 * scale; below what can be judged it says so instead of giving a reading.
 */
import { formatFixed, formatPercent } from '$lib/format';

/** Krippendorff's alpha on his 0.8 / 0.667 thresholds. */
export function describeAlpha(alpha: number | null): string {
	if (alpha === null || Number.isNaN(alpha)) {
		return 'Not enough overlapping reviews to measure agreement.';
	}
	const shown = `α = ${formatFixed(alpha)}`;
	if (alpha >= 0.8) return `${shown}: reliable — reviewers agree well enough to trust the scores.`;
	if (alpha >= 0.667) {
		return `${shown}: tentative conclusions only — reviewers agree only moderately.`;
	}
	return `${shown}: unreliable — reviewers disagree too much to trust the scores.`;
}

/** Kendall's W on Schmidt's (1997) scale. */
export function describeConcordance(w: number | null): string {
	if (w === null) return 'No item has full rankings from two reviewers yet.';
	const shown = `W = ${formatFixed(w)}`;
	if (w >= 0.7) return `${shown}: strong — reviewers rank an item's responses much the same way.`;
	if (w >= 0.5) return `${shown}: moderate — reviewers' rankings broadly agree.`;
	if (w >= 0.3) return `${shown}: weak — reviewers' rankings often differ.`;
	return `${shown}: very weak — reviewers rank the responses in different orders.`;
}

/** Kendall's tau between the AI judge's order and the human consensus. */
export function describeTau(tau: number | null): string {
	if (tau === null) return 'No item has both an AI order and a human consensus yet.';
	const shown = `τ = ${formatFixed(tau)}`;
	if (tau >= 0.6) return `${shown}: humans mostly keep the AI's order.`;
	if (tau >= 0.2) return `${shown}: humans partly agree with the AI's order.`;
	if (tau > -0.2) return `${shown}: the human order is unrelated to the AI's.`;
	return `${shown}: humans mostly reverse the AI's order.`;
}

/** How often the consensus puts a GOOD reference response above a BAD one. */
export function describeReferenceRate(rate: number | null): string {
	if (rate === null) return 'No item with both a GOOD and a BAD response has a consensus yet.';
	const shown = `GOOD above BAD in ${formatPercent(rate)} of pairs`;
	if (rate >= 0.9) return `${shown}: reviewers side with the reference almost always.`;
	if (rate >= 0.7) return `${shown}: reviewers mostly side with the reference.`;
	if (rate >= 0.5) return `${shown}: reviewers and the reference often disagree.`;
	return `${shown}: reviewers more often than not fail to prefer the GOOD response.`;
}

// Below these sizes a figure is shown with its n and "too few to judge" instead of a reading:
// on a handful of items one odd review swings alpha or W anywhere between −1 and 1, and a
// bootstrap interval from so few items is as unsteady as the figure itself.

/** Alpha: units (scored responses) with scores from two or more reviewers… */
export const MIN_ALPHA_UNITS = 10;
/** …and the scores in those units (Krippendorff's n of pairable values). */
export const MIN_ALPHA_VALUES = 20;
/** Kendall's W: items ranked fully by two or more reviewers. */
export const MIN_CONCORDANCE_ITEMS = 10;
/** Human vs AI: items with both an AI order and a human consensus. */
export const MIN_TAU_ITEMS = 10;
/** Human vs reference: GOOD × BAD pairs, from at least this many items. */
export const MIN_REFERENCE_PAIRS = 20;
export const MIN_REFERENCE_ITEMS = 10;
/**
 * Leave-one-out: units the reviewer shares with someone else, and units the others still share
 * without them. Comparing two alphas needs more than reading one, hence more than for alpha.
 */
export const MIN_LEAVE_ONE_OUT_UNITS = 30;
/** Leaving a reviewer out raises alpha by at least this: they stand out from the rest. */
export const LEAVE_ONE_OUT_RISE = 0.05;
/** Trait by model: games between models, from at least this many items. */
export const MIN_MODEL_GAMES = 30;
export const MIN_MODEL_ITEMS = 10;

/** The minimums by name, for pages that state them. */
export const READING_MINIMUMS = {
	alphaUnits: MIN_ALPHA_UNITS,
	alphaValues: MIN_ALPHA_VALUES,
	concordanceItems: MIN_CONCORDANCE_ITEMS,
	tauItems: MIN_TAU_ITEMS,
	referencePairs: MIN_REFERENCE_PAIRS,
	referenceItems: MIN_REFERENCE_ITEMS,
	leaveOneOutUnits: MIN_LEAVE_ONE_OUT_UNITS,
	leaveOneOutRise: LEAVE_ONE_OUT_RISE,
	modelGames: MIN_MODEL_GAMES,
	modelItems: MIN_MODEL_ITEMS
};

/** A short word per reading, for tables and badges; the sentences say what each means. */
export type Status = 'too-few' | 'low' | 'fair' | 'good';
export const STATUS_WORDS: Record<Status, string> = {
	'too-few': 'too few',
	low: 'low',
	fair: 'fair',
	good: 'good'
};
/** Sorting by status puts the weakest judged first and what cannot be judged last. */
export const STATUS_ORDER: Record<Status, number> = { low: 0, fair: 1, good: 2, 'too-few': 3 };

export type Reading = { status: Status; text: string };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function tooFew(figure: string, has: string, needs: string): Reading {
	return { status: 'too-few', text: `${figure}${has}: too few to judge (needs ${needs}).` };
}

function scale(value: number, fair: number, good: number): Status {
	return value >= good ? 'good' : value >= fair ? 'fair' : 'low';
}

/** Alpha with its n: units with two or more scores and the scores in them. */
export function readAlpha(alpha: number | null, n: { units: number; values: number }): Reading {
	if (alpha === null || Number.isNaN(alpha)) {
		return { status: 'too-few', text: describeAlpha(null) };
	}
	if (n.units < MIN_ALPHA_UNITS || n.values < MIN_ALPHA_VALUES) {
		return tooFew(
			`α = ${formatFixed(alpha)}`,
			` on ${plural(n.units, 'response')} scored twice or more`,
			`${MIN_ALPHA_UNITS} such responses and ${MIN_ALPHA_VALUES} scores`
		);
	}
	return { status: scale(alpha, 0.667, 0.8), text: describeAlpha(alpha) };
}

/** Kendall's W averaged over `items` items. */
export function readConcordance(w: number | null, items: number): Reading {
	if (w === null) return { status: 'too-few', text: describeConcordance(null) };
	if (items < MIN_CONCORDANCE_ITEMS) {
		return tooFew(
			`W = ${formatFixed(w)}`,
			` over ${plural(items, 'item')}`,
			`${MIN_CONCORDANCE_ITEMS} items`
		);
	}
	return { status: scale(w, 0.5, 0.7), text: describeConcordance(w) };
}

/** Mean Kendall's tau between the AI order and the human consensus over `items` items. */
export function readTau(tau: number | null, items: number): Reading {
	if (tau === null) return { status: 'too-few', text: describeTau(null) };
	if (items < MIN_TAU_ITEMS) {
		return tooFew(
			`τ = ${formatFixed(tau)}`,
			` over ${plural(items, 'item')}`,
			`${MIN_TAU_ITEMS} items`
		);
	}
	return { status: scale(tau, 0.2, 0.6), text: describeTau(tau) };
}

/** How often the consensus puts GOOD above BAD, over `pairs` pairs in `items` items. */
export function readReferenceRate(
	rate: number | null,
	n: { pairs: number; items: number }
): Reading {
	if (rate === null) return { status: 'too-few', text: describeReferenceRate(null) };
	if (n.pairs < MIN_REFERENCE_PAIRS || n.items < MIN_REFERENCE_ITEMS) {
		return tooFew(
			`GOOD above BAD in ${formatPercent(rate)}`,
			` of ${plural(n.pairs, 'pair')} in ${plural(n.items, 'item')}`,
			`${MIN_REFERENCE_PAIRS} pairs from ${MIN_REFERENCE_ITEMS} items`
		);
	}
	return { status: scale(rate, 0.7, 0.9), text: describeReferenceRate(rate) };
}

export type LeaveOneOutStatus = 'too-few' | 'in-line' | 'stands-out';
export const LEAVE_ONE_OUT_WORDS: Record<LeaveOneOutStatus, string> = {
	'too-few': 'too few',
	'in-line': 'in line',
	'stands-out': 'stands out'
};

/**
 * Whether leaving a reviewer out raises alpha enough to mark them. `shared`: units they share
 * with another reviewer; `othersUnits`: units the others still share without them. A reviewer
 * with a handful of reviews cannot be judged, and neither can the others when, without this
 * reviewer, they hardly overlap: that is a fact about the others, not a fault of this one.
 */
export function readLeaveOneOut(
	overall: number | null,
	without: number | null,
	n: { shared: number; othersUnits: number }
): { status: LeaveOneOutStatus; text: string } {
	if (n.shared < MIN_LEAVE_ONE_OUT_UNITS) {
		return {
			status: 'too-few',
			text: `Shares ${plural(n.shared, 'response')} with the others: too few to judge (needs ${MIN_LEAVE_ONE_OUT_UNITS}).`
		};
	}
	if (n.othersUnits < MIN_LEAVE_ONE_OUT_UNITS || overall === null || without === null) {
		return {
			status: 'too-few',
			text: `Without this reviewer the others share ${plural(n.othersUnits, 'response')}: too few to judge (needs ${MIN_LEAVE_ONE_OUT_UNITS}).`
		};
	}
	const rise = without - overall;
	if (rise >= LEAVE_ONE_OUT_RISE) {
		return {
			status: 'stands-out',
			text: `Without this reviewer α rises by ${formatFixed(rise)}: they disagree with the rest.`
		};
	}
	return {
		status: 'in-line',
		text: 'Agrees with the rest about as well as they agree with each other.'
	};
}

export type ModelInterval = { model: string; lower: number | null; upper: number | null };

/**
 * Which models of a trait are reliably preferred to which: only when one model's bootstrap
 * interval lies wholly above the other's, and only on enough games from enough items. Games
 * from one item share one prompt and one set of reviewers, so many games from a single item
 * give narrow intervals that mean little.
 */
export function readModelPreference(trait: {
	games: number;
	items: number;
	models: readonly ModelInterval[];
}): { status: 'too-few' | 'no-difference' | 'preferred'; text: string; pairs: [string, string][] } {
	if (trait.games < MIN_MODEL_GAMES || trait.items < MIN_MODEL_ITEMS) {
		return {
			status: 'too-few',
			text: `${plural(trait.games, 'game')} from ${plural(trait.items, 'item')}: too few to judge which model is preferred (needs ${MIN_MODEL_GAMES} games from ${MIN_MODEL_ITEMS} items).`,
			pairs: []
		};
	}
	if (trait.models.some((m) => m.lower === null || m.upper === null)) {
		return {
			status: 'no-difference',
			text: 'Without intervals (too many games to bootstrap quickly), no model is called reliably preferred.',
			pairs: []
		};
	}
	const pairs: [string, string][] = [];
	for (const a of trait.models) {
		for (const b of trait.models) {
			if (a !== b && a.lower !== null && b.upper !== null && a.lower > b.upper) {
				pairs.push([a.model, b.model]);
			}
		}
	}
	if (pairs.length === 0) {
		return {
			status: 'no-difference',
			text: 'No model is reliably preferred to another: their intervals overlap.',
			pairs
		};
	}
	return {
		status: 'preferred',
		text: `Reliably preferred: ${pairs.map(([a, b]) => `${a} over ${b}`).join('; ')}.`,
		pairs
	};
}
