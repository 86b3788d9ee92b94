import { mulberry32 } from '$lib/prng';
import { describe, expect, it } from 'vitest';
import { bootstrapBradleyTerry, fitBradleyTerry, winRates, type Comparison } from './bradley-terry';

function repeat(winner: string, loser: string, times: number): Comparison[] {
	return Array.from({ length: times }, () => ({ winner, loser }));
}

function strengthOf(strengths: Map<string, number>, player: string): number {
	const strength = strengths.get(player);
	if (strength === undefined) throw new Error(`no strength for ${player}`);
	return strength;
}

// A > B > C with some upsets, so every player has won and lost and the MLE exists.
const TRANSITIVE: Comparison[] = [
	...repeat('A', 'B', 3),
	...repeat('B', 'A', 1),
	...repeat('B', 'C', 3),
	...repeat('C', 'B', 1),
	...repeat('A', 'C', 4),
	...repeat('C', 'A', 1)
];

describe('fitBradleyTerry', () => {
	it('recovers the closed-form MLE for two players without regularisation', () => {
		// A beats B 3 times out of 4: the MLE is p_A / (p_A + p_B) = 3/4, a strength ratio of 3.
		const fit = fitBradleyTerry([...repeat('A', 'B', 3), ...repeat('B', 'A', 1)], { prior: 0 });
		const a = strengthOf(fit.strengths, 'A');
		const b = strengthOf(fit.strengths, 'B');
		expect(fit.converged).toBe(true);
		expect(Math.exp(a - b)).toBeCloseTo(3, 10);
		// Centred: log-strengths are ±ln(3)/2.
		expect(a).toBeCloseTo(Math.log(3) / 2, 10);
		expect(a + b).toBeCloseTo(0, 12);
	});

	it('treats weights as repeated outcomes', () => {
		const weighted = fitBradleyTerry(
			[
				{ winner: 'A', loser: 'B', weight: 3 },
				{ winner: 'B', loser: 'A' }
			],
			{ prior: 0 }
		);
		const a = strengthOf(weighted.strengths, 'A');
		const b = strengthOf(weighted.strengths, 'B');
		expect(Math.exp(a - b)).toBeCloseTo(3, 10);
	});

	it('shrinks towards the average with the default prior', () => {
		const fit = fitBradleyTerry([...repeat('A', 'B', 3), ...repeat('B', 'A', 1)]);
		const ratio = Math.exp(strengthOf(fit.strengths, 'A') - strengthOf(fit.strengths, 'B'));
		expect(ratio).toBeGreaterThan(1);
		expect(ratio).toBeLessThan(3);
	});

	it('keeps an undefeated player finite only with a prior', () => {
		const sweep = repeat('A', 'B', 5);
		const regularised = fitBradleyTerry(sweep);
		expect(regularised.converged).toBe(true);
		expect(Number.isFinite(strengthOf(regularised.strengths, 'A'))).toBe(true);
		expect(Number.isFinite(strengthOf(regularised.strengths, 'B'))).toBe(true);
		expect(strengthOf(regularised.strengths, 'A')).toBeGreaterThan(0);

		const plain = fitBradleyTerry(sweep, { prior: 0 });
		expect(strengthOf(plain.strengths, 'B')).toBe(-Infinity);
	});

	it('orders a transitive three-player case and centres the logs', () => {
		const { strengths, converged } = fitBradleyTerry(TRANSITIVE);
		expect(converged).toBe(true);
		const a = strengthOf(strengths, 'A');
		const b = strengthOf(strengths, 'B');
		const c = strengthOf(strengths, 'C');
		expect(a).toBeGreaterThan(b);
		expect(b).toBeGreaterThan(c);
		expect(a + b + c).toBeCloseTo(0, 10);
	});

	it('satisfies the likelihood equations: expected wins equal observed wins', () => {
		const { strengths } = fitBradleyTerry(TRANSITIVE, { prior: 0 });
		const expectedWins = new Map<string, number>();
		for (const { winner, loser } of TRANSITIVE) {
			const pWinner =
				1 / (1 + Math.exp(strengthOf(strengths, loser) - strengthOf(strengths, winner)));
			expectedWins.set(winner, (expectedWins.get(winner) ?? 0) + pWinner);
			expectedWins.set(loser, (expectedWins.get(loser) ?? 0) + 1 - pWinner);
		}
		const observed = winRates(TRANSITIVE);
		for (const [player, record] of observed) {
			expect(expectedWins.get(player)).toBeCloseTo(record.wins, 8);
		}
	});

	it('converges quickly on a large data set, where the prior barely matters', () => {
		const random = mulberry32(5);
		const players = Array.from({ length: 20 }, (_, i) => `m${i}`);
		const comparisons: Comparison[] = [];
		for (let n = 0; n < 20_000; n++) {
			const a = Math.floor(random() * 20);
			const b = (a + 1 + Math.floor(random() * 19)) % 20;
			const aWins = random() < 1 / (1 + Math.exp((b - a) / 4));
			comparisons.push({ winner: players[aWins ? a : b], loser: players[aWins ? b : a] });
		}
		const regularised = fitBradleyTerry(comparisons);
		const plain = fitBradleyTerry(comparisons, { prior: 0 });
		expect(regularised.converged).toBe(true);
		expect(regularised.iterations).toBeLessThan(1000);
		for (const player of players) {
			expect(strengthOf(regularised.strengths, player)).toBeCloseTo(
				strengthOf(plain.strengths, player),
				1
			);
		}
		// True log-strengths are i / 4 apart, so the fit should roughly span 19 / 4.
		const spread = strengthOf(plain.strengths, 'm19') - strengthOf(plain.strengths, 'm0');
		expect(spread).toBeGreaterThan(4);
		expect(spread).toBeLessThan(5.5);
	});

	it("matches BradleyTerry2's fit of Stigler's journal citations", () => {
		// The `citations` table of R's BradleyTerry2 (Agresti 2002, p. 448): a journal cited by
		// another wins that game. Firth's BTm abilities, relative to Biometrika, are
		// Comm. Statist. -2.949, JASA -0.480 and JRSS-B 0.269.
		const journals = ['Biometrika', 'Comm Statist', 'JASA', 'JRSS-B'];
		// citations[cited][citing]
		const citations = [
			[714, 730, 498, 221],
			[33, 425, 68, 17],
			[320, 813, 1072, 142],
			[284, 276, 325, 188]
		];
		const games: Comparison[] = [];
		citations.forEach((row, cited) =>
			row.forEach((count, citing) => {
				if (cited !== citing) {
					games.push({ winner: journals[cited], loser: journals[citing], weight: count });
				}
			})
		);
		const { strengths, converged } = fitBradleyTerry(games, { prior: 0 });
		expect(converged).toBe(true);
		const relative = (journal: string) =>
			strengthOf(strengths, journal) - strengthOf(strengths, 'Biometrika');
		expect(relative('Comm Statist')).toBeCloseTo(-2.949, 3);
		expect(relative('JASA')).toBeCloseTo(-0.48, 3);
		expect(relative('JRSS-B')).toBeCloseTo(0.269, 3);
	});

	it('rejects self-comparisons and bad weights', () => {
		expect(() => fitBradleyTerry([{ winner: 'A', loser: 'A' }])).toThrow(RangeError);
		expect(() => fitBradleyTerry([{ winner: 'A', loser: 'B', weight: -1 }])).toThrow(RangeError);
		expect(() => fitBradleyTerry([{ winner: 'A', loser: 'B' }], { prior: -1 })).toThrow(RangeError);
	});

	it('returns no strengths for no comparisons', () => {
		expect(fitBradleyTerry([]).strengths.size).toBe(0);
	});
});

describe('bootstrapBradleyTerry', () => {
	it('is deterministic for a given seed', () => {
		const first = bootstrapBradleyTerry(TRANSITIVE, { samples: 200, seed: 42, level: 0.9 });
		const second = bootstrapBradleyTerry(TRANSITIVE, { samples: 200, seed: 42, level: 0.9 });
		const other = bootstrapBradleyTerry(TRANSITIVE, { samples: 200, seed: 43, level: 0.9 });
		expect(second).toEqual(first);
		expect(other).not.toEqual(first);
	});

	it('gives intervals around the full-data strengths', () => {
		const intervals = bootstrapBradleyTerry(TRANSITIVE, { samples: 300, seed: 7 });
		const fit = fitBradleyTerry(TRANSITIVE);
		for (const [player, interval] of intervals) {
			expect(interval.strength).toBeCloseTo(strengthOf(fit.strengths, player), 12);
			expect(interval.lower).not.toBeNull();
			expect(interval.lower ?? Infinity).toBeLessThan(interval.upper ?? -Infinity);
			expect(interval.lower ?? Infinity).toBeLessThanOrEqual(interval.strength);
			expect(interval.upper ?? -Infinity).toBeGreaterThanOrEqual(interval.strength);
			expect(interval.samples).toBe(300);
		}
	});

	it('narrows with more data and widens with a higher level', () => {
		const width = (comparisons: Comparison[], level: number): number => {
			const a = bootstrapBradleyTerry(comparisons, { samples: 300, seed: 1, level }).get('A');
			return (a?.upper ?? Number.NaN) - (a?.lower ?? Number.NaN);
		};
		const tenfold = Array.from({ length: 10 }, () => TRANSITIVE).flat();
		expect(width(tenfold, 0.95)).toBeLessThan(width(TRANSITIVE, 0.95));
		expect(width(TRANSITIVE, 0.8)).toBeLessThan(width(TRANSITIVE, 0.95));
	});

	it('validates its options', () => {
		expect(() => bootstrapBradleyTerry(TRANSITIVE, { samples: 0 })).toThrow(RangeError);
		expect(() => bootstrapBradleyTerry(TRANSITIVE, { level: 1 })).toThrow(RangeError);
	});
});

describe('winRates', () => {
	it('counts weighted wins, losses and the win rate', () => {
		const rates = winRates([
			{ winner: 'A', loser: 'B' },
			{ winner: 'A', loser: 'C', weight: 2 },
			{ winner: 'C', loser: 'A' }
		]);
		expect(rates.get('A')).toEqual({ wins: 3, losses: 1, games: 4, rate: 0.75 });
		expect(rates.get('B')).toEqual({ wins: 0, losses: 1, games: 1, rate: 0 });
		expect(rates.get('C')).toEqual({ wins: 1, losses: 2, games: 3, rate: 1 / 3 });
	});
});

describe('mulberry32', () => {
	it('repeats for a seed and stays in [0, 1)', () => {
		const a = mulberry32(123);
		const b = mulberry32(123);
		const draws = Array.from({ length: 1000 }, () => a());
		expect(Array.from({ length: 1000 }, () => b())).toEqual(draws);
		expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
		const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length;
		expect(mean).toBeGreaterThan(0.45);
		expect(mean).toBeLessThan(0.55);
	});
});
