/**
 * Kendall's rank statistics with tie handling: tau-b for two raters, W for many.
 */

export type RankDirection = 'asc' | 'desc';

/**
 * Kendall's tau-b: (concordant - discordant) / sqrt(pairs untied in x * pairs untied in y).
 * Null when either vector is constant (or shorter than 2), where the statistic is undefined.
 * Quadratic in length, which is fine for per-item vectors of a few dozen responses.
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number | null {
	if (x.length !== y.length) {
		throw new RangeError(`kendallTauB needs equal lengths, got ${x.length} and ${y.length}`);
	}
	assertFinite(x);
	assertFinite(y);
	let score = 0;
	let untiedX = 0;
	let untiedY = 0;
	for (let i = 0; i < x.length; i++) {
		for (let j = i + 1; j < x.length; j++) {
			const dx = Math.sign(x[j] - x[i]);
			const dy = Math.sign(y[j] - y[i]);
			score += dx * dy;
			untiedX += dx * dx;
			untiedY += dy * dy;
		}
	}
	if (untiedX === 0 || untiedY === 0) return null;
	return score / Math.sqrt(untiedX * untiedY);
}

/**
 * Ranks starting at 1, tied values sharing the mean of the positions they span. 'asc' gives rank
 * 1 to the smallest value (for rank positions), 'desc' to the largest (for scores). Also turns
 * competition-style positions such as [1, 1, 3] into [1.5, 1.5, 3].
 */
export function toAverageRanks(
	values: readonly number[],
	direction: RankDirection = 'asc'
): number[] {
	assertFinite(values);
	const sign = direction === 'asc' ? 1 : -1;
	const order = values.map((_, i) => i).sort((a, b) => sign * (values[a] - values[b]));
	const ranks = new Array<number>(values.length);
	for (let start = 0; start < order.length;) {
		let end = start + 1;
		while (end < order.length && values[order[end]] === values[order[start]]) end++;
		// Positions start+1 .. end share their mean.
		const rank = (start + 1 + end) / 2;
		for (let p = start; p < end; p++) ranks[order[p]] = rank;
		start = end;
	}
	return ranks;
}

/**
 * Kendall's coefficient of concordance with tie correction:
 * W = 12 S / (m^2 (n^3 - n) - m sum T), T = sum over tie groups of (t^3 - t).
 * rankings[r][i] is rater r's rank for object i; each row is re-ranked with average ranks first,
 * so competition-style ties ([1, 1, 3]) and dense ones ([1, 1, 2]) give the same answer.
 * Null with fewer than two raters or objects, or when every rater ties everything.
 */
export function kendallW(rankings: readonly (readonly number[])[]): number | null {
	const m = rankings.length;
	if (m < 2) return null;
	const n = rankings[0].length;
	if (rankings.some((row) => row.length !== n)) {
		throw new RangeError('kendallW needs every rater to rank the same objects');
	}
	if (n < 2) return null;

	const ranks = rankings.map((row) => toAverageRanks(row, 'asc'));
	const sums = new Float64Array(n);
	for (const row of ranks) row.forEach((rank, i) => (sums[i] += rank));
	const meanSum = (m * (n + 1)) / 2;
	const s = sums.reduce((total, sum) => total + (sum - meanSum) ** 2, 0);
	const ties = ranks.reduce((total, row) => total + tieCorrection(row), 0);
	const denominator = m * m * (n ** 3 - n) - m * ties;
	if (denominator <= 0) return null;
	return (12 * s) / denominator;
}

/** Sum of t^3 - t over groups of tied ranks in one rater's row. */
function tieCorrection(ranks: readonly number[]): number {
	const groups = new Map<number, number>();
	for (const rank of ranks) groups.set(rank, (groups.get(rank) ?? 0) + 1);
	let total = 0;
	for (const t of groups.values()) total += t ** 3 - t;
	return total;
}

function assertFinite(values: readonly number[]): void {
	for (const value of values) {
		if (!Number.isFinite(value)) throw new RangeError(`Expected finite numbers, got ${value}`);
	}
}
