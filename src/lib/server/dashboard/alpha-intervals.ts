import type { AppDB } from '../db';
import { nextTurn, readItemChunks } from '../item-records';
import { AlphaSample, bootstrapAlphaSteps, type AlphaInterval } from '../stats';
import type { PairableCounts } from './alpha-counts';
import { cachedForBatch } from './batch-cache';

/**
 * 95% bootstrap intervals for the batch's alpha (ordinal and interval), resampling items, and
 * how far each reviewer overlaps with the others (what leave-one-out alpha rests on). On
 * 100,000 items this takes seconds, so the page asks for it without waiting (it shows
 * "computing…" meanwhile), the work yields to other requests as it goes, the result is kept
 * until the batch changes, and large batches get fewer resamples (never under 200).
 */

export type ReviewerOverlap = {
	userId: number;
	/** Units (scored responses) this reviewer scored that someone else scored too. */
	shared: number;
	/** What the others still share without this reviewer. */
	others: PairableCounts;
};

export type AlphaIntervals = {
	ordinal: AlphaInterval;
	interval: AlphaInterval;
	/** Items with a pairable unit: what the bootstrap resamples. */
	items: number;
	resamples: number;
	overlap: ReviewerOverlap[];
};

const MAX_RESAMPLES = 1000;
const MIN_RESAMPLES = 200;
/** Items × resamples: some seconds of one core on the largest batches, spread out. */
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
	const overlap = new OverlapTally();
	for (const chunk of readItemChunks(db.$client, batchId, { withContent: false })) {
		for (const item of chunk) {
			// One unit per response: the reviewers who scored it and their scores.
			const units = item.responses.map((response) =>
				item.reviews.filter((review) => review.scores[response.id] !== undefined)
			);
			sample.addItem(
				units.map((reviews, r) => reviews.map((review) => review.scores[item.responses[r].id]))
			);
			for (const reviews of units) overlap.addUnit(reviews.map((review) => review.userId));
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
				resamples,
				overlap: overlap.result()
			};
		}
		await nextTurn();
	}
}

/**
 * Leaving a reviewer out of a unit with two scores leaves it unpairable (both scores go); out
 * of a larger unit, only their own score goes.
 */
class OverlapTally {
	private units = 0;
	private values = 0;
	private readonly byReviewer = new Map<
		number,
		{ shared: number; lostUnits: number; lostValues: number }
	>();

	addUnit(reviewers: readonly number[]) {
		const m = reviewers.length;
		if (m < 2) return;
		this.units += 1;
		this.values += m;
		for (const userId of reviewers) {
			let tally = this.byReviewer.get(userId);
			if (!tally) this.byReviewer.set(userId, (tally = { shared: 0, lostUnits: 0, lostValues: 0 }));
			tally.shared += 1;
			tally.lostUnits += m === 2 ? 1 : 0;
			tally.lostValues += m === 2 ? 2 : 1;
		}
	}

	result(): ReviewerOverlap[] {
		return [...this.byReviewer.entries()]
			.sort(([a], [b]) => a - b)
			.map(([userId, t]) => ({
				userId,
				shared: t.shared,
				others: { units: this.units - t.lostUnits, values: this.values - t.lostValues }
			}));
	}
}
