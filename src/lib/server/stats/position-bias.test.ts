import { mulberry32, shuffle } from '$lib/prng';
import { describe, expect, it } from 'vitest';
import { firstShownOutcome, PositionTally } from './position-bias';

const merit = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('firstShownOutcome', () => {
	it('says whether the first-shown response is the single top one', () => {
		expect(firstShownOutcome(['b', 'a', 'c'], merit({ a: 1, b: 3, c: 2 }))).toEqual({
			kind: 'counted',
			responses: 3,
			firstWon: true
		});
		expect(firstShownOutcome(['a', 'b'], merit({ a: -2, b: -1 }))).toEqual({
			kind: 'counted',
			responses: 2,
			firstWon: false
		});
	});

	it('leaves out a tied top, even one the first-shown response shares', () => {
		expect(firstShownOutcome(['a', 'b', 'c'], merit({ a: 5, b: 5, c: 1 }))).toEqual({
			kind: 'tied-top'
		});
	});

	it('leaves out judgements of fewer than two responses, or without the first-shown one', () => {
		expect(firstShownOutcome(['a', 'b'], merit({ a: 1 }))).toEqual({ kind: 'incomplete' });
		expect(firstShownOutcome(['a', 'b', 'c'], merit({ b: 1, c: 2 }))).toEqual({
			kind: 'incomplete'
		});
		// Only the responses judged count towards k.
		expect(firstShownOutcome(['a', 'b', 'c'], merit({ a: 2, c: 1 }))).toEqual({
			kind: 'counted',
			responses: 2,
			firstWon: true
		});
	});
});

/** `items` judgements of `k` responses shown in a shuffled order, top chosen by `pick`. */
function tallyOf(items: number, k: (i: number) => number, pick: (shown: string[]) => string) {
	const random = mulberry32(42);
	const tally = new PositionTally();
	for (let i = 0; i < items; i++) {
		const ids = Array.from({ length: k(i) }, (_, r) => `r${r}`);
		const shown = shuffle(ids, random);
		const top = pick(shown);
		tally.add(firstShownOutcome(shown, new Map(ids.map((id) => [id, id === top ? 1 : 0]))));
	}
	return tally;
}

describe('PositionTally', () => {
	it('catches a judge that always puts the first-shown response on top', () => {
		const biased = tallyOf(
			30,
			() => 3,
			(shown) => shown[0]
		).summarise(20);
		expect(biased).toMatchObject({ trials: 30, wins: 30, rate: 1 });
		expect(biased.chance).toBeCloseTo(1 / 3, 12);
		expect(biased.test!.pValue).toBeLessThan(0.01);
	});

	it('does not flag a judge whose top is the same response whatever the order', () => {
		const fair = tallyOf(
			90,
			() => 3,
			() => 'r0'
		).summarise(20);
		expect(fair.trials).toBe(90);
		// About a third by chance: the shuffle put r0 first that often.
		expect(fair.rate!).toBeGreaterThan(0.2);
		expect(fair.rate!).toBeLessThan(0.45);
		expect(fair.test!.pValue).toBeGreaterThan(0.05);
	});

	it('tests mixed numbers of responses against the sum of their chances', () => {
		const mixed = tallyOf(
			40,
			(i) => 2 + (i % 2),
			(shown) => shown[0]
		).summarise(20);
		// 20 items of 2 responses (1/2) and 20 of 3 (1/3).
		expect(mixed.chance).toBeCloseTo((20 / 2 + 20 / 3) / 40, 12);
		expect(mixed.test!.expected).toBeCloseTo(20 / 2 + 20 / 3, 12);
		expect(mixed.test!.pValue).toBeCloseTo(2 ** -20 * 3 ** -20, 25);
	});

	it('gives no test below the minimum, and counts what it left out', () => {
		const tally = new PositionTally();
		tally.add({ kind: 'counted', responses: 2, firstWon: true });
		tally.add({ kind: 'tied-top' });
		tally.add({ kind: 'incomplete' });
		expect(tally.summarise(20)).toEqual({
			trials: 1,
			wins: 1,
			rate: 1,
			chance: 0.5,
			test: null,
			tiedTop: 1,
			incomplete: 1
		});
		expect(new PositionTally().summarise(0)).toMatchObject({ trials: 0, rate: null, test: null });
	});
});
