import type { AppDB } from '../db';
import { nextTurn, readItemChunks } from '../item-records';
import { AlphaSample, bootstrapAlphaSteps, type AlphaInterval } from '../stats';
import { cachedForBatch } from './batch-cache';

/**
 * 95% bootstrap intervals for the batch's alpha (ordinal and interval), resampling items. On
 * 100,000 items one resample takes some milliseconds, so the page asks for this without waiting
 * (it shows "computing…" meanwhile), the work yields to other requests as it goes, the result is
 * kept until the batch changes, and large batches get fewer resamples (never under 200).
 */

export type AlphaIntervals = {
	ordinal: AlphaInterval;
	interval: AlphaInterval;
	/** Items with a pairable unit: what the bootstrap resamples. */
	items: number;
	resamples: number;
};

const MAX_RESAMPLES = 1000;
const MIN_RESAMPLES = 200;
/** Items × resamples: about ten seconds of one core on the largest batches, spread out. */
const RESAMPLE_BUDGET = 20_000_000;

export function resamplesFor(items: number): number {
	if (items === 0) return MAX_RESAMPLES;
	return Math.max(MIN_RESAMPLES, Math.min(MAX_RESAMPLES, Math.floor(RESAMPLE_BUDGET / items)));
}

/** The intervals for the batch as it is now; computed once per change of its reviews. */
export function batchAlphaIntervals(db: AppDB, batchId: number): Promise<AlphaIntervals> {
	return cachedForBatch(db, batchId, 'alpha-intervals', () => computeAlphaIntervals(db, batchId));
}

async function computeAlphaIntervals(db: AppDB, batchId: number): Promise<AlphaIntervals> {
	const sample = new AlphaSample();
	for (const chunk of readItemChunks(db.$client, batchId, { withContent: false })) {
		for (const item of chunk) {
			// One unit per response: the scores its reviewers gave it.
			sample.addItem(
				item.responses.map((response) =>
					item.reviews.flatMap((review) => review.scores[response.id] ?? [])
				)
			);
		}
		await nextTurn();
	}
	const resamples = resamplesFor(sample.items);
	const steps = bootstrapAlphaSteps(sample, ['ordinal', 'interval'], { samples: resamples });
	for (;;) {
		const step = steps.next();
		if (step.done) {
			return {
				ordinal: step.value.get('ordinal')!,
				interval: step.value.get('interval')!,
				items: sample.items,
				resamples
			};
		}
		await nextTurn();
	}
}
