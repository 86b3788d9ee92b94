import { describe, expect, it } from 'vitest';
import {
	describeAlpha,
	describeConcordance,
	describeReferenceRate,
	describeTau,
	LEAVE_ONE_OUT_RISE,
	MIN_ALPHA_UNITS,
	MIN_ALPHA_VALUES,
	MIN_CONCORDANCE_ITEMS,
	MIN_LEAVE_ONE_OUT_UNITS,
	MIN_MODEL_GAMES,
	MIN_MODEL_ITEMS,
	MIN_TAU_ITEMS,
	readAlpha,
	readConcordance,
	readLeaveOneOut,
	readModelPreference,
	readReferenceRate,
	readTau,
	STATUS_ORDER,
	STATUS_WORDS
} from './readings';

describe('describeAlpha', () => {
	it('reads alpha against the usual thresholds', () => {
		expect(describeAlpha(0.85)).toContain('reliable');
		expect(describeAlpha(0.8)).toMatch(/: reliable/);
		expect(describeAlpha(0.75)).toContain('tentative conclusions only');
		expect(describeAlpha(0.667)).toContain('tentative conclusions only');
		expect(describeAlpha(0.5)).toContain('unreliable');
		expect(describeAlpha(-0.2)).toContain('unreliable');
		expect(describeAlpha(null)).toMatch(/not enough overlapping reviews/i);
		expect(describeAlpha(Number.NaN)).toMatch(/not enough overlapping reviews/i);
	});

	it('shows the value in one line', () => {
		const text = describeAlpha(0.8153875);
		expect(text).toContain('α = 0.815');
		expect(text).not.toContain('\n');
	});
});

describe('describeConcordance', () => {
	it("reads Kendall's W on Schmidt's scale", () => {
		expect(describeConcordance(0.7)).toBe(
			"W = 0.700: strong — reviewers rank an item's responses much the same way."
		);
		expect(describeConcordance(0.69)).toMatch(/^W = 0\.690: moderate/);
		expect(describeConcordance(0.5)).toMatch(/: moderate/);
		expect(describeConcordance(0.3)).toMatch(/: weak/);
		expect(describeConcordance(0.1)).toMatch(/: very weak/);
		expect(describeConcordance(null)).toBe('No item has full rankings from two reviewers yet.');
	});
});

describe('describeTau', () => {
	it('says whether humans keep, partly keep, ignore or reverse the AI order', () => {
		expect(describeTau(0.6)).toBe("τ = 0.600: humans mostly keep the AI's order.");
		expect(describeTau(0.2)).toMatch(/partly agree/);
		expect(describeTau(0)).toMatch(/unrelated/);
		expect(describeTau(-0.2)).toMatch(/mostly reverse/);
		expect(describeTau(-1)).toBe("τ = -1.000: humans mostly reverse the AI's order.");
		expect(describeTau(null)).toMatch(/no item has both/i);
	});
});

describe('describeReferenceRate', () => {
	it('gives the rate as a percent with one decimal and reads it', () => {
		expect(describeReferenceRate(0.9)).toBe(
			'GOOD above BAD in 90.0% of pairs: reviewers side with the reference almost always.'
		);
		expect(describeReferenceRate(2 / 3)).toMatch(/^GOOD above BAD in 66\.7% of pairs: .*often/);
		expect(describeReferenceRate(0.7)).toMatch(/mostly side/);
		expect(describeReferenceRate(0.25)).toMatch(/fail to prefer/);
		expect(describeReferenceRate(null)).toMatch(/no item with both a GOOD and a BAD/i);
	});
});

describe('readings with their n', () => {
	it('reads alpha only from enough doubly scored responses', () => {
		// The demo's scope_of_autonomy: two items, a handful of responses.
		const few = readAlpha(-0.5, { units: 4, values: 8 });
		expect(few.status).toBe('too-few');
		expect(few.text).toBe(
			'α = -0.500 on 4 responses scored twice or more: too few to judge (needs 10 such responses and 20 scores).'
		);
		expect(readAlpha(0.9, { units: MIN_ALPHA_UNITS, values: MIN_ALPHA_VALUES - 1 }).status).toBe(
			'too-few'
		);
		const enough = { units: MIN_ALPHA_UNITS, values: MIN_ALPHA_VALUES };
		expect(readAlpha(0.8, enough)).toEqual({ status: 'good', text: describeAlpha(0.8) });
		expect(readAlpha(0.667, enough).status).toBe('fair');
		expect(readAlpha(0.666, enough).status).toBe('low');
		expect(readAlpha(null, enough).status).toBe('too-few');
	});

	it('reads W, tau and the reference rate against their minimums', () => {
		expect(readConcordance(1, MIN_CONCORDANCE_ITEMS - 1)).toEqual({
			status: 'too-few',
			text: 'W = 1.000 over 9 items: too few to judge (needs 10 items).'
		});
		expect(readConcordance(0.7, MIN_CONCORDANCE_ITEMS).status).toBe('good');
		expect(readConcordance(0.5, MIN_CONCORDANCE_ITEMS).status).toBe('fair');
		expect(readConcordance(0.49, MIN_CONCORDANCE_ITEMS).status).toBe('low');
		expect(readTau(0, 2).text).toBe('τ = 0.000 over 2 items: too few to judge (needs 10 items).');
		expect(readTau(0.6, MIN_TAU_ITEMS)).toEqual({ status: 'good', text: describeTau(0.6) });
		expect(readTau(null, 50).status).toBe('too-few');
		expect(readReferenceRate(1, { pairs: 199, items: 9 }).status).toBe('too-few');
		expect(readReferenceRate(1, { pairs: 3, items: 2 }).text).toBe(
			'GOOD above BAD in 100.0% of 3 pairs in 2 items: too few to judge (needs 20 pairs from 10 items).'
		);
		expect(readReferenceRate(0.95, { pairs: 199, items: 160 }).status).toBe('good');
		expect(readReferenceRate(0.6, { pairs: 199, items: 160 }).status).toBe('low');
	});

	it('sorts the weakest judged reading first and what cannot be judged last', () => {
		const statuses = (['too-few', 'good', 'low', 'fair'] as const).slice();
		statuses.sort((a, b) => STATUS_ORDER[a] - STATUS_ORDER[b]);
		expect(statuses.map((s) => STATUS_WORDS[s])).toEqual(['low', 'fair', 'good', 'too few']);
	});
});

describe('readLeaveOneOut', () => {
	it('does not blame full reviewers when the others barely overlap without them', () => {
		// ravi and sam reviewed all 189 items, rosa 6: without ravi only sam and rosa remain.
		const ravi = readLeaveOneOut(0.78, -0.45, { shared: 500, othersUnits: 16 });
		expect(ravi.status).toBe('too-few');
		expect(ravi.text).toContain('Without this reviewer the others share 16 responses');
		const rosa = readLeaveOneOut(0.78, 0.79, { shared: 16, othersUnits: 500 });
		expect(rosa).toMatchObject({ status: 'too-few' });
		expect(rosa.text).toContain('Shares 16 responses with the others');
	});

	it('marks a reviewer whose absence raises alpha', () => {
		const n = { shared: MIN_LEAVE_ONE_OUT_UNITS, othersUnits: MIN_LEAVE_ONE_OUT_UNITS };
		expect(readLeaveOneOut(0.6, 0.6 + LEAVE_ONE_OUT_RISE, n).status).toBe('stands-out');
		expect(readLeaveOneOut(0.6, 0.62, n).status).toBe('in-line');
		expect(readLeaveOneOut(0.6, null, n).status).toBe('too-few');
	});
});

describe('readModelPreference', () => {
	const apart = [
		{ model: 'a', lower: 0.5, upper: 1.2 },
		{ model: 'b', lower: -1.3, upper: -0.4 }
	];

	it('says too few for one item, however far apart the intervals', () => {
		const one = readModelPreference({ games: 3, items: 1, models: apart });
		expect(one.status).toBe('too-few');
		expect(one.pairs).toEqual([]);
		expect(one.text).not.toContain('Reliably preferred');
		expect(
			readModelPreference({ games: 500, items: MIN_MODEL_ITEMS - 1, models: apart }).status
		).toBe('too-few');
	});

	it('names a preference only when the intervals do not overlap', () => {
		const enough = { games: MIN_MODEL_GAMES, items: MIN_MODEL_ITEMS };
		expect(readModelPreference({ ...enough, models: apart })).toEqual({
			status: 'preferred',
			text: 'Reliably preferred: a over b.',
			pairs: [['a', 'b']]
		});
		const overlapping = [apart[0], { model: 'b', lower: -0.3, upper: 0.6 }];
		expect(readModelPreference({ ...enough, models: overlapping }).status).toBe('no-difference');
		const without = apart.map((m) => ({ ...m, lower: null, upper: null }));
		expect(readModelPreference({ ...enough, models: without })).toMatchObject({
			status: 'no-difference',
			pairs: []
		});
	});
});
