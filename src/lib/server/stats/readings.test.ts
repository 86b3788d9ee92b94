import { describe, expect, it } from 'vitest';
import { describeAlpha, describeConcordance, describeReferenceRate, describeTau } from './readings';

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
