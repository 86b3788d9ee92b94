import { formatCount, formatPercent } from '$lib/format';
import type { PositionBias } from '../stats';

/** Below this two-sided p-value a position bias is reported: strict, as each reviewer is tested. */
export const BIAS_ALPHA = 0.01;

/** "p = 0.031", or "p < 0.001" where three decimals would read as zero. */
export function formatPValue(p: number): string {
	return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** A few words for a table cell: too few to judge, or what the exact test says. */
export function positionVerdict(bias: PositionBias): string {
	if (!bias.test) return 'too few to judge';
	if (bias.test.pValue >= BIAS_ALPHA) return 'no sign of a position bias';
	return bias.rate! > bias.chance!
		? 'favours the response shown first'
		: 'favours responses shown later';
}

/**
 * One line: the win rate against chance with its p-value, or why there is no reading; and how
 * many reviews were not counted because the order they were shown in is unknown (imported).
 */
export function describePositionBias(
	bias: PositionBias & { unknownOrder?: number },
	minimum: number
): string {
	const reading = positionReading(bias, minimum);
	const unknown = bias.unknownOrder ?? 0;
	if (unknown === 0) return reading;
	const reviews =
		unknown === 1 ? '1 imported review is' : `${formatCount(unknown)} imported reviews are`;
	return `${reading} ${reviews} not counted: the order they were shown in is unknown.`;
}

function positionReading(bias: PositionBias, minimum: number): string {
	if (!bias.test) {
		const plural = bias.trials === 1 ? '' : 's';
		return `Too few to judge: ${bias.trials} judgement${plural} with a single top response; at least ${minimum} needed.`;
	}
	const rates = `The first-shown response won ${bias.wins} of ${bias.trials} (${formatPercent(bias.rate)}) against ${formatPercent(bias.chance)} by chance`;
	return `${rates} (${formatPValue(bias.test.pValue)}): ${positionVerdict(bias)}.`;
}
