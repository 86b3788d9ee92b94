import type { ItemRecord } from '../item-records';
import { firstShownOutcome, PositionTally, type PositionBias } from '../stats';
import { judgeShownOrder, reviewerMerit, type Merit } from './orders';

/**
 * Position bias per reviewer, over all reviewers, and for the AI judge where the import says
 * what order it saw the responses in. Every review written here records the order its reviewer
 * was shown (a shuffle per reviewer and item); a review imported from elsewhere records none
 * (an empty list), so it is no trial: it is skipped and counted as `unknownOrder`, for the n.
 * The statistics are in stats/position-bias.ts.
 */

/** A tally's reading, and the reviews skipped because nobody knows the order they were shown. */
export type ReviewerPositionBias = PositionBias & { unknownOrder: number };

export type PositionSummary = {
	/** Every submitted review of the batch, whoever wrote it. */
	reviewers: ReviewerPositionBias;
	/** Reviewers with at least one review whose shown order is known. */
	byReviewer: { userId: number; bias: ReviewerPositionBias }[];
	/** Null when no item carries the judge's shown order. */
	judge: PositionBias | null;
	/** Items whose metadata names the judge's shown order, and those where it cannot be read. */
	judgeShownOrder: { items: number; unreadable: number };
};

/** Empty for a review imported from elsewhere: nobody here knows what its reviewer saw. */
function isShownOrderKnown(shownOrder: readonly number[]): boolean {
	return shownOrder.length > 0;
}

export class PositionTallies {
	private readonly all = new PositionTally();
	private readonly byReviewer = new Map<number, PositionTally>();
	private unknown = 0;
	private readonly unknownByReviewer = new Map<number, number>();
	private readonly judge = new PositionTally();
	private judgeItems = 0;
	private unreadable = 0;

	addItem(item: ItemRecord, judge: Merit | null): void {
		for (const review of item.reviews) {
			if (!isShownOrderKnown(review.shownOrder)) {
				this.unknown++;
				const counted = this.unknownByReviewer.get(review.userId) ?? 0;
				this.unknownByReviewer.set(review.userId, counted + 1);
				continue;
			}
			const outcome = firstShownOutcome(review.shownOrder.map(String), reviewerMerit(review));
			this.all.add(outcome);
			const tally = this.byReviewer.get(review.userId) ?? new PositionTally();
			tally.add(outcome);
			this.byReviewer.set(review.userId, tally);
		}
		const shown = judgeShownOrder(item);
		if (shown.kind === 'absent') return;
		this.judgeItems++;
		if (shown.kind === 'unreadable') this.unreadable++;
		else this.judge.add(judge ? firstShownOutcome(shown.shown, judge) : { kind: 'incomplete' });
	}

	/** Each tally with its exact test from `minimum` judgements with a single winner. */
	summarise(minimum: number): PositionSummary {
		return {
			reviewers: { ...this.all.summarise(minimum), unknownOrder: this.unknown },
			byReviewer: [...this.byReviewer]
				.sort(([a], [b]) => a - b)
				.map(([userId, tally]) => ({
					userId,
					bias: {
						...tally.summarise(minimum),
						unknownOrder: this.unknownByReviewer.get(userId) ?? 0
					}
				})),
			judge: this.judgeItems > 0 ? this.judge.summarise(minimum) : null,
			judgeShownOrder: { items: this.judgeItems, unreadable: this.unreadable }
		};
	}
}
