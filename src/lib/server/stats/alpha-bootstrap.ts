/**
 * Percentile bootstrap intervals for Krippendorff's alpha that resample whole items. The
 * responses of one item are scored by the same reviewers side by side, so its units are not
 * independent of each other; items are. Each item is reduced once to its contribution to the
 * coincidence matrix, so a resample costs one sum per item, not a regrouping of its scores.
 */

import { mulberry32 } from '$lib/prng';
import { alphaFromCoincidences, type AlphaMetric } from './krippendorff';
import { quantile } from './quantile';

export interface AlphaInterval {
	/** Alpha of all the items. */
	alpha: number | null;
	/** Percentile bounds; null when alpha was undefined in every resample. */
	lower: number | null;
	upper: number | null;
	/** Resamples in which alpha was defined (a resample without variation has none). */
	samples: number;
}

export interface AlphaBootstrapOptions {
	/** Number of resamples; default 1000. */
	samples?: number;
	/** PRNG seed; the same seed always gives the same intervals. Default 1. */
	seed?: number;
	/** Confidence level of the percentile interval; default 0.95. */
	level?: number;
	/** How many resamples between the steps the stepped version yields; default 20. */
	samplesPerStep?: number;
}

/** An item: the values of each of its units (one unit per scored response). */
export type AlphaItem = readonly (readonly number[])[];

/** Value indices are packed into one number per cell while an item is reduced. */
const CELL = 0x100000;

/**
 * Items as sparse coincidence contributions: item i owns entries starts[i] to starts[i + 1];
 * entry e adds weight[e] to cell (row[e], column[e]).
 */
export class AlphaSample {
	readonly values: number[] = [];
	private readonly index = new Map<number, number>();
	private readonly starts: number[] = [0];
	private readonly rows: number[] = [];
	private readonly columns: number[] = [];
	private readonly weights: number[] = [];

	get items(): number {
		return this.starts.length - 1;
	}

	/**
	 * Adds one item. Units with fewer than two values pair with nothing; an item with no pairable
	 * unit is left out, since it would only vary how many informative items a resample holds.
	 */
	addItem(units: AlphaItem): void {
		const cells = new Map<number, number>();
		for (const unit of units) {
			if (unit.length < 2) continue;
			const ids = unit.map((value) => this.indexOf(value));
			const weight = 1 / (unit.length - 1);
			for (let a = 0; a < ids.length; a++) {
				for (let b = 0; b < ids.length; b++) {
					// A value never pairs with itself, only with the other reviewers' values.
					if (a === b) continue;
					const cell = ids[a] * CELL + ids[b];
					cells.set(cell, (cells.get(cell) ?? 0) + weight);
				}
			}
		}
		if (cells.size === 0) return;
		for (const [cell, weight] of cells) {
			this.rows.push(Math.floor(cell / CELL));
			this.columns.push(cell % CELL);
			this.weights.push(weight);
		}
		this.starts.push(this.rows.length);
	}

	/** The coincidence matrix of the items, each counted `times[i]` times (all once if omitted). */
	coincidences(times?: Int32Array): Float64Array {
		const k = this.values.length;
		const o = new Float64Array(k * k);
		for (let i = 0; i < this.items; i++) {
			const n = times ? times[i] : 1;
			if (n === 0) continue;
			for (let e = this.starts[i]; e < this.starts[i + 1]; e++) {
				o[this.rows[e] * k + this.columns[e]] += n * this.weights[e];
			}
		}
		return o;
	}

	private indexOf(value: number): number {
		let id = this.index.get(value);
		if (id === undefined) {
			if (!Number.isFinite(value)) throw new RangeError(`Rating value ${value} is not a number`);
			if (this.values.length >= CELL) throw new RangeError('Too many distinct rating values');
			id = this.values.length;
			this.index.set(value, id);
			this.values.push(value);
		}
		return id;
	}
}

/** Intervals for each metric, computed at once. */
export function bootstrapAlpha(
	items: Iterable<AlphaItem> | AlphaSample,
	metrics: readonly AlphaMetric[],
	options: AlphaBootstrapOptions = {}
): Map<AlphaMetric, AlphaInterval> {
	const steps = bootstrapAlphaSteps(items, metrics, options);
	for (;;) {
		const step = steps.next();
		if (step.done) return step.value;
	}
}

/**
 * The same, yielding every `samplesPerStep` resamples so that a server can answer other
 * requests in between. Every metric is read from the same resamples.
 */
export function* bootstrapAlphaSteps(
	items: Iterable<AlphaItem> | AlphaSample,
	metrics: readonly AlphaMetric[],
	options: AlphaBootstrapOptions = {}
): Generator<void, Map<AlphaMetric, AlphaInterval>> {
	const { samples = 1000, seed = 1, level = 0.95, samplesPerStep = 20 } = options;
	if (!Number.isInteger(samples) || samples < 1) {
		throw new RangeError('samples must be a positive integer');
	}
	if (!(level > 0 && level < 1)) throw new RangeError('level must be between 0 and 1');
	const sample = items instanceof AlphaSample ? items : sampleOf(items);
	const full = sample.coincidences();
	const draws = metrics.map((): number[] => []);
	const count = sample.items;
	if (count > 0) {
		const random = mulberry32(seed);
		const times = new Int32Array(count);
		for (let s = 1; s <= samples; s++) {
			times.fill(0);
			for (let i = 0; i < count; i++) times[Math.floor(random() * count)]++;
			const o = sample.coincidences(times);
			metrics.forEach((metric, m) => {
				const alpha = alphaFromCoincidences(sample.values, o, metric);
				if (alpha !== null) draws[m].push(alpha);
			});
			if (s % samplesPerStep === 0 && s < samples) yield;
		}
	}
	const tail = (1 - level) / 2;
	return new Map(
		metrics.map((metric, m) => {
			const sorted = draws[m].sort((a, b) => a - b);
			const interval: AlphaInterval = {
				alpha: alphaFromCoincidences(sample.values, full, metric),
				lower: quantile(sorted, tail),
				upper: quantile(sorted, 1 - tail),
				samples: sorted.length
			};
			return [metric, interval] as const;
		})
	);
}

function sampleOf(items: Iterable<AlphaItem>): AlphaSample {
	const sample = new AlphaSample();
	for (const item of items) sample.addItem(item);
	return sample;
}
