/**
 * The plain reading of one trait's difference between two checkpoints: above, below, no clear
 * difference, or too few to judge.
 */
import { formatCount, formatFixed } from '$lib/format';
import { MIN_MODEL_GAMES, MIN_MODEL_ITEMS } from '../stats/readings';

// Below these a checkpoint's strength, and any difference involving it, reads "too few to
// judge": with a handful of items a single prompt can move a Bradley-Terry strength by a whole
// unit, and a percentile interval from so few items is as unsteady as the figure itself. They
// are the batch dashboard's minimums for trait by model.

/** Items holding at least one game of the checkpoint… */
export const MIN_CHECKPOINT_ITEMS = MIN_MODEL_ITEMS;
/** …and games the checkpoint played in them. */
export const MIN_CHECKPOINT_GAMES = MIN_MODEL_GAMES;

/** How much one checkpoint was compared on a trait. */
export type CheckpointShare = { model: string; items: number; games: number };

export type DifferenceStatus = 'above' | 'below' | 'unclear' | 'too-few' | 'unlinked';

export type DifferenceReading = { status: DifferenceStatus; text: string };

export function isEnough(share: { items: number; games: number }): boolean {
	return share.items >= MIN_CHECKPOINT_ITEMS && share.games >= MIN_CHECKPOINT_GAMES;
}

const fixed = (value: number) => formatFixed(value, 2);
const interval = (lower: number, upper: number) => `[${fixed(lower)}, ${fixed(upper)}]`;
const counted = (share: CheckpointShare) =>
	`${share.model} in ${formatCount(share.items)} items, ${formatCount(share.games)} games`;

/**
 * `difference`, `lower`, `upper`: B − A in log-strength with its interval. `linked`: whether a
 * chain of games joins A and B; without one the difference would come from the prior alone.
 */
export function readDifference(
	trait: string,
	a: CheckpointShare,
	b: CheckpointShare,
	estimate: { difference: number | null; lower: number | null; upper: number | null },
	linked: boolean
): DifferenceReading {
	const { difference, lower, upper } = estimate;
	if (!isEnough(a) || !isEnough(b) || difference === null || lower === null || upper === null) {
		return {
			status: 'too-few',
			text:
				`${trait}: too few to judge (${counted(b)}; ${counted(a)}; needs ` +
				`${MIN_CHECKPOINT_ITEMS} items and ${MIN_CHECKPOINT_GAMES} games each).`
		};
	}
	if (!linked) {
		return {
			status: 'unlinked',
			text: `${trait}: cannot be compared: no chain of games links ${b.model} to ${a.model}.`
		};
	}
	if (lower > 0) {
		return {
			status: 'above',
			text: `${trait}: ${b.model} above ${a.model} by ${fixed(difference)} ${interval(lower, upper)}.`
		};
	}
	if (upper < 0) {
		// Said as how far below, so the interval is of that distance too.
		return {
			status: 'below',
			text: `${trait}: ${b.model} below ${a.model} by ${fixed(-difference)} ${interval(-upper, -lower)}.`
		};
	}
	return {
		status: 'unclear',
		text:
			`${trait}: no clear difference between ${b.model} and ${a.model} ` +
			`(${fixed(difference)} ${interval(lower, upper)}).`
	};
}
