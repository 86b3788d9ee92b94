import type { ItemRecord } from '../item-records';
import { firstShownOutcome, PositionTally, type PositionBias } from '../stats';
import { judgeShownOrder, reviewerMerit, type Merit } from './orders';

/**
 * Position bias per reviewer, over all reviewers, and for the AI judge where the import says
 * what order it saw the responses in. Every submitted review records the order its reviewer was
 * shown (a shuffle per reviewer and item); the statistics are in stats/position-bias.ts.
 */

export type PositionSummary = {
	/** Every submitted review of the batch, whoever wrote it. */
	reviewers: PositionBias;
	byReviewer: { userId: number; bias: PositionBias }[];
	/** Null when no item carries the judge's shown order. */
	judge: PositionBias | null;
	/** Items whose metadata names the judge's shown order, and those where it cannot be read. */
	judgeShownOrder: { items: number; unreadable: number };
};

export class PositionTallies {
	private readonly all = new PositionTally();
	private readonly byReviewer = new Map<number, PositionTally>();
	private readonly judge = new PositionTally();
	private judgeItems = 0;
	private unreadable = 0;

	addItem(item: ItemRecord, judge: Merit | null): void {
		for (const review of item.reviews) {
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
			reviewers: this.all.summarise(minimum),
			byReviewer: [...this.byReviewer]
				.sort(([a], [b]) => a - b)
				.map(([userId, tally]) => ({ userId, bias: tally.summarise(minimum) })),
			judge: this.judgeItems > 0 ? this.judge.summarise(minimum) : null,
			judgeShownOrder: { items: this.judgeItems, unreadable: this.unreadable }
		};
	}
}
