import { describe, expect, it } from 'vitest';
import { bootstrapMeanInterval } from './bootstrap';

const HALVES = Array.from({ length: 400 }, (_, i) => i % 2);

describe('bootstrapMeanInterval', () => {
	it('is the same for the same seed and moves with another', () => {
		const values = [0.2, -0.4, 1, 0.6, 0.33, -1, 0.8, 0.1, 0.5, 0.9];
		const first = bootstrapMeanInterval(values, { seed: 7 });
		expect(bootstrapMeanInterval(values, { seed: 7 })).toEqual(first);
		expect(bootstrapMeanInterval(values, { seed: 8 }).lower).not.toBe(first.lower);
		expect(first.mean).toBeCloseTo(0.303, 12);
		expect(first.n).toBe(10);
		expect(first.lower!).toBeLessThan(first.mean!);
		expect(first.upper!).toBeGreaterThan(first.mean!);
	});

	it('agrees with the normal-theory interval on a large sample', () => {
		// 200 zeros and 200 ones: mean 0.5, standard error 0.5 / sqrt(400) = 0.025, so about
		// 0.5 ± 1.96 · 0.025 = [0.451, 0.549].
		const { mean, lower, upper } = bootstrapMeanInterval(HALVES, { samples: 2000 });
		expect(mean).toBe(0.5);
		expect(lower!).toBeCloseTo(0.451, 2);
		expect(upper!).toBeCloseTo(0.549, 2);
	});

	it('narrows at a lower level', () => {
		const wide = bootstrapMeanInterval(HALVES, { level: 0.95 });
		const narrow = bootstrapMeanInterval(HALVES, { level: 0.5 });
		expect(narrow.upper! - narrow.lower!).toBeLessThan(wide.upper! - wide.lower!);
	});

	it('collapses on constant values and is empty without any', () => {
		expect(bootstrapMeanInterval([0.5, 0.5, 0.5])).toEqual({
			mean: 0.5,
			lower: 0.5,
			upper: 0.5,
			n: 3
		});
		expect(bootstrapMeanInterval([])).toEqual({ mean: null, lower: null, upper: null, n: 0 });
	});

	it('refuses bad options and values', () => {
		expect(() => bootstrapMeanInterval([1], { samples: 0 })).toThrow(RangeError);
		expect(() => bootstrapMeanInterval([1], { level: 1 })).toThrow(RangeError);
		expect(() => bootstrapMeanInterval([Number.NaN])).toThrow(RangeError);
	});
});
