/**
 * A percentile bootstrap interval for a mean: the values (one per item) are resampled with
 * replacement, and the interval is the middle `level` share of the resampled means. Seeded, so
 * the same values and seed always give the same interval.
 */
import { mulberry32 } from '$lib/prng';
import { quantile } from './quantile';

export interface MeanIntervalOptions {
	/** Number of resamples; default 1000. */
	samples?: number;
	/** PRNG seed; default 1. */
	seed?: number;
	/** Confidence level; default 0.95. */
	level?: number;
}

export interface MeanInterval {
	/** The mean of all the values; null when there are none. */
	mean: number | null;
	lower: number | null;
	upper: number | null;
	/** How many values (items) the mean and the interval rest on. */
	n: number;
}

export function bootstrapMeanInterval(
	values: readonly number[],
	options: MeanIntervalOptions = {}
): MeanInterval {
	const { samples = 1000, seed = 1, level = 0.95 } = options;
	if (!Number.isInteger(samples) || samples < 1) {
		throw new RangeError('samples must be a positive integer');
	}
	if (!(level > 0 && level < 1)) throw new RangeError('level must be between 0 and 1');
	const n = values.length;
	if (n === 0) return { mean: null, lower: null, upper: null, n };
	for (const value of values) {
		if (!Number.isFinite(value)) throw new RangeError(`Expected finite numbers, got ${value}`);
	}

	const data = Float64Array.from(values);
	const random = mulberry32(seed);
	const means: number[] = [];
	for (let s = 0; s < samples; s++) {
		let sum = 0;
		for (let i = 0; i < n; i++) sum += data[Math.floor(random() * n)];
		means.push(sum / n);
	}
	means.sort((a, b) => a - b);
	const tail = (1 - level) / 2;
	return {
		mean: data.reduce((sum, value) => sum + value, 0) / n,
		lower: quantile(means, tail),
		upper: quantile(means, 1 - tail),
		n
	};
}
