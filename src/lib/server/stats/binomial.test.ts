import { describe, expect, it } from 'vitest';
import { binomialTest, poissonBinomialTest } from './binomial';

describe('binomialTest', () => {
	it('matches a hand-worked case: 8 of 10 at p = 0.5', () => {
		// P(X ≥ 8) = (C(10,8) + C(10,9) + C(10,10)) / 2^10 = 56 / 1024 = 0.0547; the distribution is
		// symmetric, so the two-sided p-value doubles it: 112 / 1024 = 0.1094.
		const test = binomialTest(8, 10, 0.5);
		expect(test.pGreater).toBeCloseTo(56 / 1024, 12);
		expect(test.pGreater).toBeCloseTo(0.0547, 4);
		expect(test.pValue).toBeCloseTo(0.1094, 4);
		// P(X ≤ 8) = 1 − P(9) − P(10) = 1 − 11 / 1024.
		expect(test.pLess).toBeCloseTo(1013 / 1024, 12);
		expect(test.expected).toBe(5);
	});

	it("matches R's binom.test documentation example (Conover 1971): 682 of 925 at p = 3/4", () => {
		// ?binom.test: binom.test(c(682, 243), p = 3/4) prints p-value = 0.3825.
		expect(binomialTest(682, 925, 3 / 4).pValue).toBeCloseTo(0.3825, 4);
	});

	it('adds the other tail by likelihood when the distribution is skewed (hand-worked)', () => {
		// n = 3, p = 1/4: P = 27/64, 27/64, 9/64, 1/64. Observing 2 (9/64): the counts no more
		// likely are 2 and 3, so the two-sided p-value is 10/64, the same as the upper tail.
		const test = binomialTest(2, 3, 0.25);
		expect(test.pValue).toBeCloseTo(10 / 64, 12);
		expect(test.pGreater).toBeCloseTo(10 / 64, 12);
		// Observing 0 (27/64): every count is no more likely, so p = 1.
		expect(binomialTest(0, 3, 0.25).pValue).toBeCloseTo(1, 12);
	});

	it('gives 1 at the expected count and handles the edges', () => {
		expect(binomialTest(5, 10, 0.5).pValue).toBe(1);
		expect(binomialTest(0, 0, 0.5).pValue).toBe(1);
		expect(binomialTest(3, 3, 1).pValue).toBe(1);
		expect(binomialTest(0, 3, 1).pValue).toBe(0);
	});

	it('stays finite and tiny for large, lopsided counts', () => {
		// 40 of 40 at 1/3: (1/3)^40 = 8.2e-20 is the upper tail; no other count is as unlikely.
		const test = binomialTest(40, 40, 1 / 3);
		expect(test.pGreater / 3 ** -40).toBeCloseTo(1, 9);
		expect(test.pValue).toBeCloseTo(test.pGreater, 30);
		const huge = binomialTest(60_000, 100_000, 0.5);
		expect(huge.pValue).toBe(0);
		expect(binomialTest(50_000, 100_000, 0.5).pValue).toBe(1);
	});

	it('refuses impossible inputs', () => {
		expect(() => binomialTest(11, 10, 0.5)).toThrow(RangeError);
		expect(() => binomialTest(1.5, 10, 0.5)).toThrow(RangeError);
		expect(() => binomialTest(1, 10, 1.5)).toThrow(RangeError);
		expect(() => binomialTest(1, -1, 0.5)).toThrow(RangeError);
	});
});

describe('poissonBinomialTest', () => {
	it('matches a hand-worked case: one trial at 1/2 and one at 1/3', () => {
		// P(0) = 1/2 · 2/3 = 1/3, P(1) = 1/2 · 2/3 + 1/2 · 1/3 = 1/2, P(2) = 1/6.
		expect(
			poissonBinomialTest(2, [
				{ trials: 1, p: 1 / 2 },
				{ trials: 1, p: 1 / 3 }
			]).pValue
		)
			// Only 2 is as unlikely as 2.
			.toBeCloseTo(1 / 6, 12);
		// 0 (1/3): 0 and 2 are no more likely.
		expect(
			poissonBinomialTest(0, [
				{ trials: 1, p: 1 / 2 },
				{ trials: 1, p: 1 / 3 }
			]).pValue
		).toBeCloseTo(1 / 2, 12);
	});

	it('matches exact enumeration in rational arithmetic for larger mixes', () => {
		// Worked with Python's fractions, trial by trial (no binomial shortcut).
		const mixed = poissonBinomialTest(30, [
			{ trials: 30, p: 1 / 2 },
			{ trials: 20, p: 1 / 3 }
		]);
		expect(mixed.pValue).toBeCloseTo(0.019929, 6);
		expect(mixed.pGreater).toBeCloseTo(0.011994, 6);
		expect(mixed.expected).toBeCloseTo(15 + 20 / 3, 12);
		expect(
			poissonBinomialTest(12, [
				{ trials: 10, p: 1 / 2 },
				{ trials: 10, p: 1 / 4 }
			]).pValue
		).toBeCloseTo(0.052587, 6);
	});

	it('is the binomial test when every trial has the same chance', () => {
		const split = poissonBinomialTest(8, [
			{ trials: 4, p: 0.5 },
			{ trials: 6, p: 0.5 }
		]);
		expect(split.pValue).toBeCloseTo(binomialTest(8, 10, 0.5).pValue, 12);
	});
});
