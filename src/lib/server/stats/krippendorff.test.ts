import { describe, expect, it } from 'vitest';
import {
	alphaFromPairCells,
	alphaFromRatings,
	createAgreementAccumulator,
	krippendorffAlpha,
	krippendorffAlphaFromUnits,
	leaveOneOutAlpha,
	unitPairCells,
	type AlphaMetric,
	type Rating
} from './krippendorff';

const METRICS: AlphaMetric[] = ['nominal', 'ordinal', 'interval', 'ratio'];
const _ = null;

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", Example C:
// coders A-D as rows, units 1-12 as columns, null where a coder gave no value.
const EXAMPLE_C_BY_CODER = [
	[1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
	[1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
	[_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
	[1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _]
];
const EXAMPLE_C = transpose(EXAMPLE_C_BY_CODER);

function transpose<T>(rows: T[][]): T[][] {
	return rows[0].map((_, column) => rows.map((row) => row[column]));
}

function exampleRatings(): Rating[] {
	const ratings: Rating[] = [];
	EXAMPLE_C_BY_CODER.forEach((row, coder) =>
		row.forEach((value, unit) => {
			if (value !== null) ratings.push({ unit, coder: 'ABCD'[coder], value });
		})
	);
	return ratings;
}

/** Seeded generator so the random cross-checks are reproducible. */
function lcg(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 16807) % 2147483647;
		return state / 2147483647;
	};
}

/**
 * Textbook pairwise definition, O(values^2): alpha = 1 - Do / De with
 * Do = (1/n) sum_u 1/(m_u - 1) sum_{i != j in u} delta, De = 1/(n(n-1)) sum_{i != j overall} delta.
 * Independent of the coincidence-matrix code under test.
 */
function naiveAlpha(units: number[][], metric: AlphaMetric): number | null {
	const pairable = units.filter((unit) => unit.length >= 2);
	const all = pairable.flat();
	const n = all.length;
	const frequency = new Map<number, number>();
	for (const value of all) frequency.set(value, (frequency.get(value) ?? 0) + 1);
	const delta = (a: number, b: number): number => {
		if (metric === 'nominal') return a === b ? 0 : 1;
		if (metric === 'interval') return (a - b) ** 2;
		if (metric === 'ratio') return a + b === 0 ? 0 : ((a - b) / (a + b)) ** 2;
		const [low, high] = a < b ? [a, b] : [b, a];
		let between = 0;
		for (const [value, count] of frequency) if (value >= low && value <= high) between += count;
		return (between - ((frequency.get(a) ?? 0) + (frequency.get(b) ?? 0)) / 2) ** 2;
	};
	let observed = 0;
	for (const unit of pairable) {
		let sum = 0;
		for (let i = 0; i < unit.length; i++) {
			for (let j = 0; j < unit.length; j++) if (i !== j) sum += delta(unit[i], unit[j]);
		}
		observed += sum / (unit.length - 1);
	}
	let expected = 0;
	for (let i = 0; i < n; i++)
		for (let j = 0; j < n; j++) if (i !== j) expected += delta(all[i], all[j]);
	if (expected === 0) return null;
	return 1 - (observed / n) * ((n * (n - 1)) / expected);
}

describe('krippendorffAlpha', () => {
	it('reproduces Krippendorff (2011) Example C for every metric', () => {
		expect(krippendorffAlpha(EXAMPLE_C, 'nominal')).toBeCloseTo(0.743, 3);
		expect(krippendorffAlpha(EXAMPLE_C, 'ordinal')).toBeCloseTo(0.815, 3);
		expect(krippendorffAlpha(EXAMPLE_C, 'interval')).toBeCloseTo(0.849, 3);
		expect(krippendorffAlpha(EXAMPLE_C, 'ratio')).toBeCloseTo(0.797, 3);
	});

	it('gives exactly 1 for perfect agreement', () => {
		const units = [
			[1, 1, 1],
			[3, 3, null],
			[5, 5, 5],
			[2, null, 2]
		];
		for (const metric of METRICS) expect(krippendorffAlpha(units, metric)).toBe(1);
	});

	it('ignores units with a single value', () => {
		const withSingles = [...EXAMPLE_C, [_, 4, _, _], [1, _, _, _]];
		for (const metric of METRICS) {
			expect(krippendorffAlpha(withSingles, metric)).toBe(krippendorffAlpha(EXAMPLE_C, metric));
		}
	});

	it('returns null when nothing can be paired or there is no variation', () => {
		expect(krippendorffAlpha([], 'nominal')).toBeNull();
		expect(
			krippendorffAlpha(
				[
					[_, _],
					[_, _]
				],
				'interval'
			)
		).toBeNull();
		expect(krippendorffAlpha([[1], [2], [3]], 'ordinal')).toBeNull();
		// Everyone gave the same value everywhere: zero expected disagreement.
		expect(
			krippendorffAlpha(
				[
					[4, 4],
					[4, 4]
				],
				'nominal'
			)
		).toBeNull();
	});

	it('rejects non-numeric values and negative values on a ratio scale', () => {
		expect(() => krippendorffAlpha([[1, Number.NaN]], 'nominal')).toThrow(RangeError);
		expect(() => krippendorffAlpha([[-1, 2]], 'ratio')).toThrow(RangeError);
	});
});

describe('krippendorffAlphaFromUnits', () => {
	it('agrees with the dense form on Example C', () => {
		const sparse = EXAMPLE_C.map((unit) => unit.filter((value) => value !== null));
		for (const metric of METRICS) {
			expect(krippendorffAlphaFromUnits(sparse, metric)).toBeCloseTo(
				krippendorffAlpha(EXAMPLE_C, metric) ?? Number.NaN,
				12
			);
		}
	});

	it('matches the pairwise textbook definition on random data', () => {
		const random = lcg(7);
		const units = Array.from({ length: 60 }, () =>
			Array.from({ length: 1 + Math.floor(random() * 4) }, () => 1 + Math.floor(random() * 5))
		);
		for (const metric of METRICS) {
			expect(krippendorffAlphaFromUnits(units, metric)).toBeCloseTo(
				naiveAlpha(units, metric) ?? Number.NaN,
				10
			);
		}
	});

	it('accepts a generator and handles 100,000 units of 3 values', () => {
		const random = lcg(42);
		function* units(): Generator<number[]> {
			for (let u = 0; u < 100_000; u++) {
				const truth = 1 + Math.floor(random() * 5);
				yield [truth, truth, random() < 0.2 ? 1 + Math.floor(random() * 5) : truth];
			}
		}
		// Speed is measured by `npm run bench`, never asserted here.
		const alpha = krippendorffAlphaFromUnits(units(), 'ordinal');
		expect(alpha).toBeGreaterThan(0.8);
		expect(alpha).toBeLessThan(1);
	});
});

describe('alphaFromRatings', () => {
	it('groups records by unit and matches Example C', () => {
		expect(alphaFromRatings(exampleRatings(), 'interval')).toBeCloseTo(0.849, 3);
	});

	it('refuses a coder rating the same unit twice', () => {
		const ratings: Rating[] = [
			{ unit: 'u1', coder: 'ann', value: 1 },
			{ unit: 'u1', coder: 'ann', value: 2 }
		];
		expect(() => alphaFromRatings(ratings, 'nominal')).toThrow(/more than once/);
	});
});

describe('leaveOneOutAlpha', () => {
	it('matches recomputing without each coder on Example C', () => {
		const ratings = exampleRatings();
		for (const metric of METRICS) {
			const result = leaveOneOutAlpha(ratings, metric);
			expect(result.overall).toBe(alphaFromRatings(ratings, metric));
			expect([...result.byCoder.keys()].sort()).toEqual(['A', 'B', 'C', 'D']);
			for (const [coder, alpha] of result.byCoder) {
				const without = alphaFromRatings(
					ratings.filter((rating) => rating.coder !== coder),
					metric
				);
				expect(alpha).toBeCloseTo(without ?? Number.NaN, 12);
			}
		}
	});

	it('shows that dropping the most deviant coder (C) raises agreement', () => {
		const { overall, byCoder } = leaveOneOutAlpha(exampleRatings(), 'nominal');
		expect(byCoder.get('C')).toBeGreaterThan(overall ?? 1);
	});

	it('reports null for a coder whose removal leaves nothing pairable', () => {
		const ratings: Rating[] = [
			{ unit: 1, coder: 'a', value: 1 },
			{ unit: 1, coder: 'b', value: 2 },
			{ unit: 2, coder: 'a', value: 2 },
			{ unit: 2, coder: 'b', value: 2 },
			{ unit: 3, coder: 'c', value: 5 }
		];
		const { overall, byCoder } = leaveOneOutAlpha(ratings, 'nominal');
		expect(byCoder.get('a')).toBeNull();
		expect(byCoder.get('b')).toBeNull();
		// c only rated a unit nobody else did, so removing c changes nothing.
		expect(byCoder.get('c')).toBe(overall);
	});

	it('handles 300,000 ratings from many coders in one pass', () => {
		const random = lcg(3);
		const ratings: Rating[] = [];
		for (let unit = 0; unit < 100_000; unit++) {
			const truth = 1 + Math.floor(random() * 5);
			const first = Math.floor(random() * 200);
			for (let offset = 0; offset < 3; offset++) {
				const coder = `coder-${(first + offset * 37) % 200}`;
				const noisy = random() < 0.25 ? 1 + Math.floor(random() * 5) : truth;
				ratings.push({ unit, coder, value: noisy });
			}
		}
		const result = leaveOneOutAlpha(ratings, 'interval');
		expect(result.byCoder.size).toBe(200);
		for (const alpha of result.byCoder.values()) {
			expect(alpha).toBeCloseTo(result.overall ?? Number.NaN, 1);
		}
	});
});

describe('createAgreementAccumulator', () => {
	it('gives, unit by unit, the published Example C values and the same leave-one-out', () => {
		const accumulator = createAgreementAccumulator(['ordinal', 'nominal', 'interval', 'ratio'], {
			leaveOneOut: true
		});
		EXAMPLE_C.forEach((unit) => {
			const coders: string[] = [];
			const values: number[] = [];
			unit.forEach((value, c) => {
				if (value !== null) {
					coders.push('ABCD'[c]);
					values.push(value);
				}
			});
			accumulator.addUnit(coders, values);
		});
		const report = accumulator.result();
		expect(report.alpha.get('nominal')).toBeCloseTo(0.743, 3);
		expect(report.alpha.get('ordinal')).toBeCloseTo(0.815, 3);
		expect(report.alpha.get('interval')).toBeCloseTo(0.849, 3);
		expect(report.alpha.get('ratio')).toBeCloseTo(0.797, 3);
		const expected = leaveOneOutAlpha(exampleRatings(), 'ordinal');
		expect([...report.withoutCoder.keys()].sort()).toEqual(['A', 'B', 'C', 'D']);
		for (const [coder, alpha] of expected.byCoder) {
			expect(report.withoutCoder.get(coder)).toBeCloseTo(alpha ?? Number.NaN, 12);
		}
	});
});

describe('alphaFromPairCells', () => {
	const units = () =>
		EXAMPLE_C.map((unit) => unit.filter((value): value is number => value !== null));

	it('gives, from the cells of every unit, the same bits as the units in any order', () => {
		const cells = units().flatMap(unitPairCells);
		for (const metric of METRICS) {
			const expected = krippendorffAlphaFromUnits(units(), metric);
			expect(alphaFromPairCells(cells, metric)).toBe(expected);
			expect(alphaFromPairCells([...cells].reverse(), metric)).toBe(expected);
			expect(krippendorffAlphaFromUnits([...units()].reverse(), metric)).toBe(expected);
		}
		expect(alphaFromPairCells(cells, 'ordinal')).toBeCloseTo(0.815, 3);
	});

	it('forgets a unit taken out again, exactly', () => {
		const extra = unitPairCells([1, 5, 5, 2]);
		const cells = [
			...units().flatMap(unitPairCells),
			...extra,
			...extra.map((cell) => ({ ...cell, pairs: -cell.pairs }))
		];
		expect(alphaFromPairCells(cells, 'interval')).toBe(
			krippendorffAlphaFromUnits(units(), 'interval')
		);
	});

	it('counts each pair of values once, both orders in one cell', () => {
		expect(unitPairCells([3, 1, 3])).toEqual([
			{ size: 3, a: 1, b: 3, pairs: 2 },
			{ size: 3, a: 3, b: 3, pairs: 2 }
		]);
		expect(unitPairCells([4])).toEqual([]);
	});
});
