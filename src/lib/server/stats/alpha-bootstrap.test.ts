import { describe, expect, it } from 'vitest';
import { AlphaSample, bootstrapAlpha, bootstrapAlphaSteps } from './alpha-bootstrap';
import { krippendorffAlphaFromUnits } from './krippendorff';

describe('bootstrapAlpha', () => {
	/**
	 * Worked by hand. Item X holds one unit scored 1 and 2, item Y one unit scored 1 and 1.
	 * A resample of two items is XX (1/4), XY or YX (1/2), or YY (1/4):
	 * - XX: o12 = o21 = 2, n = 4, n1 = n2 = 2; interval Do = 4, De = 2·2·1·2 = 8,
	 *   α = 1 − 3·4/8 = −0.5 (ordinal: δ = ((2 + 2)/2)² = 4, Do = 16, De = 32, the same −0.5);
	 * - XY: o11 = 2, o12 = o21 = 1, n = 4, n1 = 3, n2 = 1; Do = 2, De = 6, α = 1 − 3·2/6 = 0;
	 * - YY: no variation, α undefined.
	 * So α of all the items is 0, three resamples in four are defined, a quarter of those are
	 * −0.5, and the 95% interval runs from −0.5 to 0.
	 */
	const items = [[[1, 2]], [[1, 1]]];

	it('matches a hand-worked case', () => {
		const result = bootstrapAlpha(items, ['interval', 'ordinal'], { samples: 4000, seed: 7 });
		for (const metric of ['interval', 'ordinal'] as const) {
			const interval = result.get(metric)!;
			expect(interval.alpha).toBeCloseTo(0, 12);
			expect(interval.lower).toBeCloseTo(-0.5, 12);
			expect(interval.upper).toBeCloseTo(0, 12);
			expect(interval.samples / 4000).toBeCloseTo(0.75, 1);
		}
	});

	it('gives the same intervals for the same seed, and others for another', () => {
		const many = Array.from({ length: 30 }, (_, i) => [
			[1 + (i % 5), 1 + ((i * 3) % 5)],
			[2, 2 + (i % 2), 3]
		]);
		const first = bootstrapAlpha(many, ['ordinal'], { samples: 200, seed: 3 });
		const again = bootstrapAlpha(many, ['ordinal'], { samples: 200, seed: 3 });
		const other = bootstrapAlpha(many, ['ordinal'], { samples: 200, seed: 4 });
		expect(again).toEqual(first);
		expect(other.get('ordinal')!.lower).not.toBe(first.get('ordinal')!.lower);
		// The point estimate is the ordinary alpha of every unit, whatever the seed.
		expect(first.get('ordinal')!.alpha).toBeCloseTo(
			krippendorffAlphaFromUnits(many.flat(), 'ordinal')!,
			12
		);
		const { lower, upper, alpha } = first.get('ordinal')!;
		expect(lower!).toBeLessThan(alpha!);
		expect(upper!).toBeGreaterThan(alpha!);
	});

	it("agrees with Krippendorff's published example on the full data", () => {
		// Krippendorff (2011), section C: 4 coders, 12 units, values 1–5; interval α = 0.849.
		const units = [
			[1, 1, 1],
			[2, 2, 3, 2],
			[3, 3, 3, 3],
			[3, 3, 3, 3],
			[2, 2, 2, 2],
			[1, 2, 3, 4],
			[4, 4, 4, 4],
			[1, 1, 2, 1],
			[2, 2, 2, 2],
			[5, 5, 5],
			[1, 1],
			[3]
		];
		const result = bootstrapAlpha(
			units.map((u) => [u]),
			['interval'],
			{ samples: 10 }
		);
		expect(result.get('interval')!.alpha).toBeCloseTo(0.849, 3);
	});

	it('leaves out items without a pairable unit, and reads nothing from no items', () => {
		const sample = new AlphaSample();
		sample.addItem([[3], []]);
		sample.addItem([[1, 2]]);
		expect(sample.items).toBe(1);
		const empty = bootstrapAlpha([], ['ordinal'], { samples: 5 }).get('ordinal');
		expect(empty).toEqual({ alpha: null, lower: null, upper: null, samples: 0 });
	});

	it('yields between steps and ends with the same result as the one-go version', () => {
		const steps = bootstrapAlphaSteps(items, ['interval'], { samples: 100, samplesPerStep: 25 });
		let yields = 0;
		let step = steps.next();
		while (!step.done) {
			yields++;
			step = steps.next();
		}
		expect(yields).toBe(3);
		expect(step.value).toEqual(bootstrapAlpha(items, ['interval'], { samples: 100 }));
	});

	it('refuses nonsense options', () => {
		expect(() => bootstrapAlpha(items, ['interval'], { samples: 0 })).toThrow(RangeError);
		expect(() => bootstrapAlpha(items, ['interval'], { level: 1 })).toThrow(RangeError);
	});
});
