import { describe, expect, it } from 'vitest';
import { bootstrapBradleyTerry, fitBradleyTerry, type Comparison } from './bradley-terry';
import { bootstrapBradleyTerryByItem } from './item-bootstrap';

function repeat(winner: string, loser: string, times: number): Comparison[] {
	return Array.from({ length: times }, () => ({ winner, loser }));
}

/** One item's games: A beats B `a` times and B beats A `b` times. */
const item = (a: number, b: number) => [...repeat('A', 'B', a), ...repeat('B', 'A', b)];

const width = (interval: { lower: number | null; upper: number | null } | undefined) =>
	(interval?.upper ?? Number.NaN) - (interval?.lower ?? Number.NaN);

describe('bootstrapBradleyTerryByItem', () => {
	it('draws whole items: a hand-worked case with three possible resamples', () => {
		// Item X: A beats B 3 times in 4; item Y: 1 time in 2. Two items drawn with replacement
		// give XX (A 6 : 2, B − A = −ln 3) a quarter of the time, XY or YX (4 : 2, −ln 2) half,
		// and YY (2 : 2, 0) a quarter: without a prior each is the closed-form ratio of wins.
		// Resampling the six games instead would also give 5 : 1, 6 : 0 and so on.
		const result = bootstrapBradleyTerryByItem([item(3, 1), item(1, 1)], {
			prior: 0,
			samples: 1000,
			seed: 3,
			differences: [['A', 'B']]
		});
		const [difference] = result.differences;
		expect(difference.difference).toBeCloseTo(-Math.log(2), 9);
		expect(difference.lower).toBeCloseTo(-Math.log(3), 9);
		expect(difference.upper).toBeCloseTo(0, 9);
		expect(difference.samples).toBe(1000);
		// The log-strengths are centred, so A's is half the difference, the other way round.
		const a = result.strengths.get('A')!;
		expect(a.strength).toBeCloseTo(Math.log(2) / 2, 9);
		expect(a.lower).toBeCloseTo(0, 9);
		expect(a.upper).toBeCloseTo(Math.log(3) / 2, 9);

		const byGame = bootstrapBradleyTerry([...item(3, 1), ...item(1, 1)], {
			prior: 0,
			samples: 1000,
			seed: 3
		}).get('A')!;
		expect(byGame.upper).toBeGreaterThan(Math.log(3) / 2 + 0.1);
	});

	it('keeps an item’s games together: perfectly correlated games count as one weighted game', () => {
		// Each item's five games all go the same way, as when a checkpoint's response is simply
		// better on that prompt: 12 items A's way, 8 items B's way.
		const correlated = [
			...Array.from({ length: 12 }, () => repeat('A', 'B', 5)),
			...Array.from({ length: 8 }, () => repeat('B', 'A', 5))
		];
		const weighted = [
			...Array.from({ length: 12 }, () => [{ winner: 'A', loser: 'B', weight: 5 }]),
			...Array.from({ length: 8 }, () => [{ winner: 'B', loser: 'A', weight: 5 }])
		];
		const options = { samples: 400, seed: 11, differences: [['A', 'B']] as const };
		const byItem = bootstrapBradleyTerryByItem(correlated, options);
		expect(bootstrapBradleyTerryByItem(weighted, options)).toEqual(byItem);

		// Treating the 100 games as independent pretends to know five times as much: the
		// interval shrinks by about √5.
		const byGame = bootstrapBradleyTerry(correlated.flat(), options).get('A');
		expect(width(byItem.strengths.get('A'))).toBeGreaterThan(1.8 * width(byGame));
	});

	it('fits the same strengths as the plain fit on every game', () => {
		const items = [item(3, 1), item(0, 2), [{ winner: 'C', loser: 'A' }, ...item(1, 0)]];
		const { strengths, differences } = bootstrapBradleyTerryByItem(items, {
			samples: 50,
			differences: [
				['A', 'C'],
				['A', 'Z']
			]
		});
		const fit = fitBradleyTerry(items.flat());
		for (const [player, interval] of strengths) {
			expect(interval.strength).toBeCloseTo(fit.strengths.get(player)!, 10);
		}
		expect(differences[0].difference).toBeCloseTo(
			fit.strengths.get('C')! - fit.strengths.get('A')!,
			10
		);
		// A player who never played has no difference and no interval.
		expect(differences[1]).toEqual({
			from: 'A',
			to: 'Z',
			difference: null,
			lower: null,
			upper: null,
			samples: 0
		});
	});

	it('is deterministic for a seed, and counts only resamples holding both players', () => {
		const items = [item(2, 1), item(1, 2), [{ winner: 'C', loser: 'A' }], item(3, 0)];
		const options = { samples: 300, seed: 5, differences: [['A', 'C']] as const };
		const first = bootstrapBradleyTerryByItem(items, options);
		expect(bootstrapBradleyTerryByItem(items, options)).toEqual(first);
		expect(bootstrapBradleyTerryByItem(items, { ...options, seed: 6 })).not.toEqual(first);
		// C plays in one item of four: about (3/4)^4 ≈ 32% of resamples leave it out.
		const [difference] = first.differences;
		expect(difference.samples).toBe(first.strengths.get('C')!.samples);
		expect(difference.samples).toBeGreaterThan(150);
		expect(difference.samples).toBeLessThan(260);
	});

	it('validates its options', () => {
		expect(() => bootstrapBradleyTerryByItem([item(1, 1)], { samples: 0 })).toThrow(RangeError);
		expect(() => bootstrapBradleyTerryByItem([item(1, 1)], { level: 0 })).toThrow(RangeError);
	});
});
