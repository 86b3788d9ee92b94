import { describe, expect, it } from 'vitest';
import {
	buildPairs,
	computeConsensus,
	itemAgreement,
	itemSpread,
	type ConsensusEntry,
	type ConsensusItem,
	type PreferencePair
} from './consensus';

// Clear order a > b > c > d. Mean scores: a 14/3, b 11/3, c 7/3, d 4/3. Mean ranks: a 1, b 2,
// c 10/3, d 11/3. Responses are listed shuffled on purpose.
const CLEAR: ConsensusItem = {
	responses: ['c', 'a', 'd', 'b'],
	reviews: [
		{
			reviewer: 'r1',
			scores: { a: 5, b: 4, c: 2, d: 1 },
			ranks: { a: 1, b: 2, c: 3, d: 4 }
		},
		{
			reviewer: 'r2',
			scores: { a: 4, b: 4, c: 3, d: 1 },
			ranks: { a: 1, b: 2, c: 3, d: 4 }
		},
		{
			reviewer: 'r3',
			scores: { a: 5, b: 3, c: 2, d: 2 },
			ranks: { a: 1, b: 2, c: 4, d: 3 }
		}
	]
};

// x and y tie on both means: scores 4 and 4; average ranks (1.5 + 2 + 1) / 3 = (1.5 + 1 + 2) / 3.
const TIED: ConsensusItem = {
	responses: ['z', 'y', 'x'],
	reviews: [
		{ reviewer: 'r1', scores: { x: 4, y: 4, z: 2 }, ranks: { x: 1, y: 1, z: 3 } },
		{ reviewer: 'r2', scores: { x: 3, y: 3, z: 1 }, ranks: { x: 2, y: 1, z: 3 } },
		{ reviewer: 'r3', scores: { x: 5, y: 5, z: 2 }, ranks: { x: 1, y: 2, z: 3 } }
	]
};

// alpha and zeta tie on mean score (3) but zeta has the better mean rank (4/3 vs 5/3), so it
// wins even though the id order would put alpha first.
const RANK_BREAK: ConsensusItem = {
	responses: ['alpha', 'zeta', 'omega'],
	reviews: [
		{
			reviewer: 'r1',
			scores: { alpha: 3, zeta: 3, omega: 1 },
			ranks: { zeta: 1, alpha: 2, omega: 3 }
		},
		{
			reviewer: 'r2',
			scores: { alpha: 2, zeta: 3, omega: 1 },
			ranks: { zeta: 1, alpha: 2, omega: 3 }
		},
		{
			reviewer: 'r3',
			scores: { alpha: 4, zeta: 3, omega: 1 },
			ranks: { alpha: 1, zeta: 2, omega: 3 }
		}
	]
};

// Nobody scored r, though both reviewers ranked it.
const UNSCORED: ConsensusItem = {
	responses: ['p', 'q', 'r'],
	reviews: [
		{ reviewer: 'r1', scores: { p: 2, q: 1 }, ranks: { p: 1, q: 2, r: 3 } },
		{ reviewer: 'r2', scores: { p: 3, q: 1 }, ranks: { p: 1, q: 2, r: 3 } }
	]
};

function consensusOf(item: ConsensusItem): ConsensusEntry[] {
	const consensus = computeConsensus(item);
	if (!consensus) throw new Error('expected a consensus');
	return consensus;
}

function summary(pairs: PreferencePair[]): [string, string, number | null][] {
	return pairs.map((pair) => [pair.chosen, pair.rejected, pair.margin]);
}

function expectPairs(actual: PreferencePair[], expected: [string, string, number | null][]): void {
	expect(actual.map((pair) => [pair.chosen, pair.rejected])).toEqual(
		expected.map(([chosen, rejected]) => [chosen, rejected])
	);
	actual.forEach((pair, i) => {
		const margin = expected[i][2];
		if (margin === null) expect(pair.margin).toBeNull();
		else expect(pair.margin).toBeCloseTo(margin, 12);
	});
}

describe('computeConsensus', () => {
	it('orders by mean score and reports both means', () => {
		const consensus = consensusOf(CLEAR);
		expect(consensus.map((entry) => [entry.responseId, entry.position])).toEqual([
			['a', 1],
			['b', 2],
			['c', 3],
			['d', 4]
		]);
		expect(consensus[0].meanScore).toBeCloseTo(14 / 3, 12);
		expect(consensus[0].meanRank).toBe(1);
		expect(consensus[2].meanScore).toBeCloseTo(7 / 3, 12);
		expect(consensus[2].meanRank).toBeCloseTo(10 / 3, 12);
		expect(consensus[3].meanRank).toBeCloseTo(11 / 3, 12);
	});

	it('gives responses tied on score and rank the same position, ordered by id', () => {
		expect(consensusOf(TIED).map((entry) => [entry.responseId, entry.position])).toEqual([
			['x', 1],
			['y', 1],
			['z', 3]
		]);
	});

	it('treats competition and dense tie conventions alike', () => {
		const dense: ConsensusItem = {
			...TIED,
			reviews: TIED.reviews.map((review, i) =>
				i === 0 ? { ...review, ranks: { x: 1, y: 1, z: 2 } } : review
			)
		};
		expect(consensusOf(dense)).toEqual(consensusOf(TIED));
	});

	it('breaks a mean-score tie by mean rank before id', () => {
		const consensus = consensusOf(RANK_BREAK);
		expect(consensus.map((entry) => [entry.responseId, entry.position])).toEqual([
			['zeta', 1],
			['alpha', 2],
			['omega', 3]
		]);
		expect(consensus[0].meanRank).toBeCloseTo(4 / 3, 12);
		expect(consensus[1].meanRank).toBeCloseTo(5 / 3, 12);
	});

	it('puts unscored responses last with a null mean score', () => {
		const consensus = consensusOf(UNSCORED);
		expect(consensus.map((entry) => entry.responseId)).toEqual(['p', 'q', 'r']);
		expect(consensus[2]).toEqual({ responseId: 'r', meanScore: null, meanRank: 3, position: 3 });
	});

	it('follows an adjudicated order but still reports mean scores', () => {
		const consensus = computeConsensus(CLEAR, { order: [['d'], ['c', 'b'], ['a']] });
		expect(consensus?.map((entry) => [entry.responseId, entry.position])).toEqual([
			['d', 1],
			// Inside a group the consensus order applies, whatever order the group was listed in.
			['b', 2],
			['c', 2],
			['a', 4]
		]);
		expect(consensus?.[0].meanScore).toBeCloseTo(4 / 3, 12);
	});

	it('returns null for an excluded item', () => {
		expect(computeConsensus(CLEAR, { excluded: true })).toBeNull();
	});

	it('ignores a null adjudication', () => {
		expect(computeConsensus(CLEAR, null)).toEqual(consensusOf(CLEAR));
	});

	it('rejects an adjudicated order that does not cover every response once', () => {
		expect(() => computeConsensus(CLEAR, { order: [['a', 'b', 'c']] })).toThrow(/leaves out/);
		expect(() => computeConsensus(CLEAR, { order: [['a', 'b', 'c', 'd', 'e']] })).toThrow(
			/unknown/
		);
		expect(() =>
			computeConsensus(CLEAR, {
				order: [
					['a', 'b'],
					['c', 'd', 'a']
				]
			})
		).toThrow(/twice/);
	});
});

describe('buildPairs', () => {
	it('pairs best against worst', () => {
		expectPairs(buildPairs(consensusOf(CLEAR), 'best-vs-worst'), [['a', 'd', 10 / 3]]);
	});

	it('pairs best against each response below it', () => {
		expectPairs(buildPairs(consensusOf(CLEAR), 'best-vs-each'), [
			['a', 'b', 1],
			['a', 'c', 7 / 3],
			['a', 'd', 10 / 3]
		]);
	});

	it('pairs every response with every response below it', () => {
		expectPairs(buildPairs(consensusOf(CLEAR), 'all-pairs'), [
			['a', 'b', 1],
			['a', 'c', 7 / 3],
			['a', 'd', 10 / 3],
			['b', 'c', 4 / 3],
			['b', 'd', 7 / 3],
			['c', 'd', 1]
		]);
	});

	it('never pairs tied responses', () => {
		const consensus = consensusOf(TIED);
		expectPairs(buildPairs(consensus, 'best-vs-worst'), [['x', 'z', 7 / 3]]);
		expectPairs(buildPairs(consensus, 'best-vs-each'), [['x', 'z', 7 / 3]]);
		expectPairs(buildPairs(consensus, 'all-pairs'), [
			['x', 'z', 7 / 3],
			['y', 'z', 7 / 3]
		]);
	});

	it('gives nothing when every response is tied or there is only one', () => {
		const allTied: ConsensusItem = {
			responses: ['a', 'b'],
			reviews: [{ reviewer: 'r1', scores: { a: 3, b: 3 }, ranks: { a: 1, b: 1 } }]
		};
		for (const strategy of ['best-vs-worst', 'best-vs-each', 'all-pairs'] as const) {
			expect(buildPairs(consensusOf(allTied), strategy)).toEqual([]);
			expect(buildPairs(consensusOf(CLEAR).slice(0, 1), strategy)).toEqual([]);
			expect(buildPairs([], strategy)).toEqual([]);
		}
	});

	it('keeps a zero margin when ranks, not scores, separate the pair', () => {
		expectPairs(buildPairs(consensusOf(RANK_BREAK), 'best-vs-each'), [
			['zeta', 'alpha', 0],
			['zeta', 'omega', 2]
		]);
	});

	it('uses the adjudicated order, so margins can be negative', () => {
		const adjudicated = computeConsensus(CLEAR, { order: [['d'], ['c', 'b'], ['a']] });
		if (!adjudicated) throw new Error('expected a consensus');
		expectPairs(buildPairs(adjudicated, 'best-vs-worst'), [['d', 'a', -10 / 3]]);
		expectPairs(buildPairs(adjudicated, 'best-vs-each'), [
			['d', 'b', -7 / 3],
			['d', 'c', -1],
			['d', 'a', -10 / 3]
		]);
		expectPairs(buildPairs(adjudicated, 'all-pairs'), [
			['d', 'b', -7 / 3],
			['d', 'c', -1],
			['d', 'a', -10 / 3],
			['b', 'a', -1],
			['c', 'a', -7 / 3]
		]);
	});

	it('gives a null margin when a side has no score', () => {
		expect(summary(buildPairs(consensusOf(UNSCORED), 'all-pairs'))).toEqual([
			['p', 'q', 1.5],
			['p', 'r', null],
			['q', 'r', null]
		]);
	});

	it('does not depend on the order of its input', () => {
		const consensus = consensusOf(CLEAR);
		const reversed = [...consensus].reverse();
		expect(buildPairs(reversed, 'all-pairs')).toEqual(buildPairs(consensus, 'all-pairs'));
	});
});

describe('itemAgreement', () => {
	it('averages pairwise tau-b between reviewers (hand-computed)', () => {
		// r1 vs r2 and r1 vs r3: C - D = 5 over 6 and 5 untied pairs, tau-b = 5 / sqrt(30).
		// r2 vs r3: each has one tie at a different pair, C - D = 4, tau-b = 4 / 5.
		const expected = (2 * (5 / Math.sqrt(30)) + 0.8) / 3;
		expect(itemAgreement(CLEAR)).toBeCloseTo(expected, 12);
	});

	it('is 1 for reviewers ordering responses the same way on different scales', () => {
		const item: ConsensusItem = {
			responses: ['a', 'b', 'c'],
			reviews: [
				{ reviewer: 'kind', scores: { a: 5, b: 4, c: 3 }, ranks: {} },
				{ reviewer: 'harsh', scores: { a: 3, b: 2, c: 1 }, ranks: {} }
			]
		};
		expect(itemAgreement(item)).toBe(1);
	});

	it('is -1 for reviewers in opposite order', () => {
		const item: ConsensusItem = {
			responses: ['a', 'b', 'c'],
			reviews: [
				{ reviewer: 'r1', scores: { a: 1, b: 2, c: 3 }, ranks: {} },
				{ reviewer: 'r2', scores: { a: 3, b: 2, c: 1 }, ranks: {} }
			]
		};
		expect(itemAgreement(item)).toBe(-1);
	});

	it('is null without two reviewers who vary their scores', () => {
		expect(itemAgreement({ ...CLEAR, reviews: CLEAR.reviews.slice(0, 1) })).toBeNull();
		const flat: ConsensusItem = {
			responses: ['a', 'b'],
			reviews: [
				{ reviewer: 'r1', scores: { a: 3, b: 3 }, ranks: {} },
				{ reviewer: 'r2', scores: { a: 1, b: 5 }, ranks: {} }
			]
		};
		expect(itemAgreement(flat)).toBeNull();
	});
});

describe('itemSpread', () => {
	it('combines the mean score SD with 1 - W (hand-computed)', () => {
		// Every response has scores {v, v, v±1}: population SD sqrt(2/9) = sqrt(2)/3.
		// Rank sums a 3, b 6, c 10, d 11; S = 41; W = 12 * 41 / (9 * 60) = 41/45.
		const spread = itemSpread(CLEAR);
		expect(spread.scoreSd).toBeCloseTo(Math.SQRT2 / 3, 12);
		expect(spread.rankDiscord).toBeCloseTo(4 / 45, 12);
		expect(spread.total).toBeCloseTo(Math.SQRT2 / 3 + 4 / 45, 12);
	});

	it('is zero when reviewers agree exactly', () => {
		const review = { scores: { a: 5, b: 2 }, ranks: { a: 1, b: 2 } };
		const item: ConsensusItem = {
			responses: ['a', 'b'],
			reviews: [
				{ reviewer: 'r1', ...review },
				{ reviewer: 'r2', ...review }
			]
		};
		expect(itemSpread(item)).toEqual({ scoreSd: 0, rankDiscord: 0, total: 0 });
	});

	it('leaves out partial rankings and reports missing parts as null', () => {
		expect(itemSpread({ ...CLEAR, reviews: CLEAR.reviews.slice(0, 1) })).toEqual({
			scoreSd: null,
			rankDiscord: null,
			total: 0
		});
		// r2 ranked only two responses, so W uses r1 and r3 alone: sums a 2, b 4, c 7, d 7.
		// Mean sum 5; S = 9 + 1 + 4 + 4 = 18; W = 12 * 18 / (2^2 * 60) = 0.9.
		const partial: ConsensusItem = {
			...CLEAR,
			reviews: CLEAR.reviews.map((review) =>
				review.reviewer === 'r2' ? { ...review, ranks: { a: 1, b: 2 } } : review
			)
		};
		expect(itemSpread(partial).rankDiscord).toBeCloseTo(0.1, 12);
	});

	it('ranks a contested item above a clear one', () => {
		const contested: ConsensusItem = {
			responses: ['a', 'b', 'c'],
			reviews: [
				{ reviewer: 'r1', scores: { a: 5, b: 3, c: 1 }, ranks: { a: 1, b: 2, c: 3 } },
				{ reviewer: 'r2', scores: { a: 1, b: 3, c: 5 }, ranks: { a: 3, b: 2, c: 1 } },
				{ reviewer: 'r3', scores: { a: 3, b: 5, c: 1 }, ranks: { a: 2, b: 1, c: 3 } }
			]
		};
		expect(itemSpread(contested).total).toBeGreaterThan(itemSpread(CLEAR).total);
	});
});
