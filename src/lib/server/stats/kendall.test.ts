import { describe, expect, it } from 'vitest';
import { kendallTauB, kendallW, toAverageRanks } from './kendall';

describe('kendallTauB', () => {
	it('matches the reference value with ties in both vectors', () => {
		// Same data as the scipy.stats.kendalltau docs: C = 2, D = 6, untied pairs 8 (x) and 9 (y),
		// so tau-b = -4 / sqrt(72) = -0.4714.
		expect(kendallTauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])).toBeCloseTo(-0.4714, 4);
	});

	it('is 1 for perfect concordance and -1 for a reversal', () => {
		expect(kendallTauB([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
		expect(kendallTauB([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
	});

	it('corrects for ties (hand-computed)', () => {
		// x = [1, 2, 2, 3], y = [2, 1, 3, 3]; pairs (i, j):
		// (1,2) D, (1,3) C, (1,4) C, (2,3) tied in x, (2,4) C, (3,4) tied in y.
		// C - D = 3 - 1 = 2; pairs untied in x = 5, in y = 5; tau-b = 2 / sqrt(25) = 0.4.
		expect(kendallTauB([1, 2, 2, 3], [2, 1, 3, 3])).toBeCloseTo(0.4, 12);
		// x = [1, 2, 2, 3], y = [1, 3, 2, 4]: C = 5, D = 0, untied 5 and 6: 5 / sqrt(30).
		expect(kendallTauB([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(5 / Math.sqrt(30), 12);
	});

	it('is undefined for constant or too-short vectors', () => {
		expect(kendallTauB([3, 3, 3], [1, 2, 3])).toBeNull();
		expect(kendallTauB([1], [1])).toBeNull();
		expect(kendallTauB([], [])).toBeNull();
	});

	it('rejects mismatched lengths and non-finite values', () => {
		expect(() => kendallTauB([1, 2], [1])).toThrow(RangeError);
		expect(() => kendallTauB([1, Number.NaN], [1, 2])).toThrow(RangeError);
	});
});

describe('toAverageRanks', () => {
	it('averages tied positions', () => {
		expect(toAverageRanks([1, 1, 3], 'asc')).toEqual([1.5, 1.5, 3]);
		expect(toAverageRanks([1, 1, 2], 'asc')).toEqual([1.5, 1.5, 3]);
		expect(toAverageRanks([30, 10, 20, 20], 'asc')).toEqual([4, 1, 2.5, 2.5]);
	});

	it("gives rank 1 to the largest value with 'desc'", () => {
		expect(toAverageRanks([5, 3, 5, 1], 'desc')).toEqual([1.5, 3, 1.5, 4]);
	});

	it('defaults to ascending and handles empty input', () => {
		expect(toAverageRanks([2, 1])).toEqual([2, 1]);
		expect(toAverageRanks([])).toEqual([]);
	});
});

describe('kendallW', () => {
	it('is 1 when raters agree perfectly, with or without ties', () => {
		const ranks = [1, 2, 3, 4];
		expect(kendallW([ranks, ranks, ranks])).toBe(1);
		expect(
			kendallW([
				[1, 1, 3],
				[1, 1, 3],
				[1.5, 1.5, 3]
			])
		).toBeCloseTo(1, 12);
	});

	it('matches the formula on the classic m = 3, n = 4 example', () => {
		// Rank sums R = 4, 6, 8, 12; mean 7.5; S = 12.25 + 2.25 + 0.25 + 20.25 = 35.
		// No ties: W = 12 * 35 / (3^2 * (4^3 - 4)) = 420 / 540 = 7 / 9 ≈ 0.7778.
		const w = kendallW([
			[1, 2, 3, 4],
			[1, 3, 2, 4],
			[2, 1, 3, 4]
		]);
		expect(w).toBeCloseTo(7 / 9, 12);
	});

	it('applies the tie correction', () => {
		// Rater 2's [1, 1, 3] becomes [1.5, 1.5, 3]; sums 2.5, 3.5, 6; mean 4; S = 6.5.
		// T = 2^3 - 2 = 6; W = 12 * 6.5 / (2^2 * (27 - 3) - 2 * 6) = 78 / 84 = 13 / 14.
		expect(
			kendallW([
				[1, 2, 3],
				[1, 1, 3]
			])
		).toBeCloseTo(13 / 14, 12);
	});

	it('is 0 when two raters exactly reverse each other', () => {
		expect(
			kendallW([
				[1, 2, 3],
				[3, 2, 1]
			])
		).toBe(0);
	});

	it('is undefined with too few raters or objects, or all ties', () => {
		expect(kendallW([])).toBeNull();
		expect(kendallW([[1, 2, 3]])).toBeNull();
		expect(kendallW([[1], [1]])).toBeNull();
		expect(
			kendallW([
				[1, 1],
				[1, 1]
			])
		).toBeNull();
	});

	it('rejects raters ranking different numbers of objects', () => {
		expect(() =>
			kendallW([
				[1, 2, 3],
				[1, 2]
			])
		).toThrow(RangeError);
	});
});
