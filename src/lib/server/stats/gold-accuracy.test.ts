import { describe, expect, it } from 'vitest';
import {
	computeGoldAccuracy,
	goldPairs,
	goldReading,
	scoreGoldReview,
	wilsonInterval,
	type GoldReview
} from './gold-accuracy';

describe('wilsonInterval', () => {
	it('matches the published 95% interval for 8 of 10 (0.490, 0.943)', () => {
		// The textbook case (e.g. Agresti and Coull 1998); worked: centre 0.7167, half 0.2266.
		const { lower, upper } = wilsonInterval(8, 10);
		expect(lower).toBeCloseTo(0.4902, 4);
		expect(upper).toBeCloseTo(0.9433, 4);
	});

	it('matches Newcombe (1998), Table I, method 3, for 81 of 263: 0.2553 to 0.3662', () => {
		const { lower, upper } = wilsonInterval(81, 263);
		expect(lower).toBeCloseTo(0.2553, 4);
		expect(upper).toBeCloseTo(0.3662, 4);
	});

	it('stays inside [0, 1] at the ends, where the normal interval collapses', () => {
		// 0 of 10: [0, z²/(n+z²)] = [0, 3.8415/13.8415].
		expect(wilsonInterval(0, 10).lower).toBe(0);
		expect(wilsonInterval(0, 10).upper).toBeCloseTo(0.2775, 4);
		expect(wilsonInterval(10, 10).upper).toBe(1);
		expect(wilsonInterval(10, 10).lower).toBeCloseTo(0.7225, 4);
	});

	it('refuses impossible counts', () => {
		expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
		expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
	});
});

describe('goldPairs', () => {
	it('pairs every response with every one in a lower group, never within a group', () => {
		// GOOD {1, 2} above BAD {3}: two pairs; 1 and 2 are tied, so not compared.
		expect(goldPairs([[1, 2], [3]])).toEqual([
			[1, 3],
			[2, 3]
		]);
		// A full order of three: three pairs.
		expect(goldPairs([[1], [2], [3]])).toEqual([
			[1, 2],
			[1, 3],
			[2, 3]
		]);
		expect(goldPairs([[1, 2]])).toEqual([]);
	});
});

describe('scoreGoldReview', () => {
	const order = [[1], [2], [3]];

	it('reads ranks when the review has them', () => {
		// Ranks 1 > 3 > 2: agrees on (1,2) and (1,3), not on (2,3).
		const review = { order, ranks: { 1: 1, 2: 3, 3: 2 }, scores: { 1: 1, 2: 7, 3: 7 } };
		expect(scoreGoldReview(review)).toEqual({ pairs: 3, agreed: 2 });
	});

	it('falls back on scores when nothing is ranked', () => {
		const review = { order, ranks: {}, scores: { 1: 7, 2: 5, 3: 6 } };
		expect(scoreGoldReview(review)).toEqual({ pairs: 3, agreed: 2 });
	});

	it('counts a tie or a missing judgement as not agreeing', () => {
		const review = { order, ranks: { 1: 1, 2: 1 }, scores: {} };
		// (1,2) tied, (1,3) and (2,3) have no rank for 3.
		expect(scoreGoldReview(review)).toEqual({ pairs: 3, agreed: 0 });
	});
});

describe('computeGoldAccuracy', () => {
	it('pools pairs over items, worked by hand', () => {
		const reviews: GoldReview[] = [
			// GOOD 1 over BAD 2 and 3: both right.
			{ order: [[1], [2, 3]], ranks: { 1: 1, 2: 2, 3: 2 }, scores: {} },
			// Full order of three, one pair wrong.
			{ order: [[4], [5], [6]], ranks: { 4: 1, 5: 3, 6: 2 }, scores: {} },
			// One pair, wrong.
			{ order: [[7], [8]], ranks: {}, scores: { 7: 2, 8: 6 } }
		];
		const a = computeGoldAccuracy(reviews);
		expect(a).toMatchObject({ items: 3, pairs: 6, agreed: 4 });
		expect(a.accuracy).toBeCloseTo(4 / 6, 10);
		// Wilson for 4 of 6: centre (0.6667 + 0.3201) / 1.6403, half 1.1949 · sqrt(0.0370 + 0.0267).
		expect(a.lower).toBeCloseTo(0.3, 3);
		expect(a.upper).toBeCloseTo(0.9032, 3);
	});

	it('has no accuracy without pairs', () => {
		expect(computeGoldAccuracy([])).toEqual({
			items: 0,
			pairs: 0,
			agreed: 0,
			accuracy: null,
			lower: null,
			upper: null
		});
	});
});

describe('goldReading', () => {
	it('says too few below three gold items, and warns below 0.75', () => {
		expect(goldReading({ items: 2, accuracy: 0.1 })).toBe('too-few');
		expect(goldReading({ items: 3, accuracy: null })).toBe('too-few');
		expect(goldReading({ items: 3, accuracy: 0.74 })).toBe('below');
		expect(goldReading({ items: 3, accuracy: 0.75 })).toBe('ok');
	});
});
