import type { AdjudicationRecord, ItemRecord } from '../item-records';
import { nextTurn } from '../item-records';
import { bootstrapMeanInterval, type MeanInterval } from '../stats';
import { meritTau, orderText, reviewerMerit, type Merit } from './orders';

/**
 * Judge calibration: how far the AI judge's order agrees with the humans', as Kendall's tau-b per
 * item, averaged over items (each item counts once, however many responses it has), with a 95%
 * percentile bootstrap interval that resamples items. Also the judge against each reviewer, and
 * the items where judge and humans disagree most.
 */

/** Resamples per interval, and their seed: the same batch always shows the same interval. */
const BOOTSTRAP = { samples: 1000, seed: 1, level: 0.95 };
/** Taus this close to 1 are a full agreement, whatever the rounding. */
const TAU_TOLERANCE = 1e-9;

export type JudgeDisagreement = {
	itemId: number;
	externalId: string;
	traitKey: string;
	tau: number;
	reviews: number;
	decision: AdjudicationRecord['decision'] | null;
	/** Responses lettered in file order, best first; "=" joins ties. */
	judgeOrder: string;
	humanOrder: string;
};

export type Calibration = {
	/** Over every trait; the mean is null when no item could be compared. */
	overall: MeanInterval;
	byTrait: { key: string; interval: MeanInterval }[];
	/** Mean tau-b between the judge and each reviewer's ranking, over the items they ranked. */
	reviewers: { userId: number; mean: number | null; items: number }[];
	/** Lowest tau first. */
	disagreements: JudgeDisagreement[];
};

export class CalibrationTally {
	private readonly taus: number[] = [];
	private readonly byTrait = new Map<string, number[]>();
	private readonly reviewers = new Map<number, { sum: number; items: number }>();
	private disagreements: JudgeDisagreement[] = [];

	constructor(private readonly top: number) {}

	addItem(item: ItemRecord, judge: Merit, human: Merit | null): void {
		for (const review of item.reviews) {
			const tau = meritTau(judge, reviewerMerit(review));
			if (tau === null) continue;
			const tally = this.reviewers.get(review.userId) ?? { sum: 0, items: 0 };
			tally.sum += tau;
			tally.items++;
			this.reviewers.set(review.userId, tally);
		}
		if (human === null) return;
		const tau = meritTau(judge, human);
		if (tau === null) return;
		this.taus.push(tau);
		const trait = this.byTrait.get(item.traitKey) ?? [];
		trait.push(tau);
		this.byTrait.set(item.traitKey, trait);
		if (tau < 1 - TAU_TOLERANCE) this.keepIfAmongWorst(item, tau, judge, human);
	}

	/** Intervals one trait at a time, letting the server answer others in between. */
	async summarise(): Promise<Calibration> {
		const overall = bootstrapMeanInterval(this.taus, BOOTSTRAP);
		const byTrait: Calibration['byTrait'] = [];
		for (const [key, taus] of [...this.byTrait].sort(([a], [b]) => (a < b ? -1 : 1))) {
			await nextTurn();
			byTrait.push({ key, interval: bootstrapMeanInterval(taus, BOOTSTRAP) });
		}
		const reviewers = [...this.reviewers]
			.sort(([a], [b]) => a - b)
			.map(([userId, t]) => ({ userId, mean: t.sum / t.items, items: t.items }));
		return { overall, byTrait, reviewers, disagreements: this.disagreements };
	}

	/** Only the `top` worst are kept, so memory does not grow with the batch. */
	private keepIfAmongWorst(item: ItemRecord, tau: number, judge: Merit, human: Merit): void {
		const worst = this.disagreements[this.top - 1];
		if (worst && (tau > worst.tau || (tau === worst.tau && item.id > worst.itemId))) return;
		this.disagreements.push({
			itemId: item.id,
			externalId: item.externalId,
			traitKey: item.traitKey,
			tau,
			reviews: item.reviews.length,
			decision: item.adjudication?.decision ?? null,
			judgeOrder: orderText(item, judge),
			humanOrder: orderText(item, human)
		});
		this.disagreements.sort((a, b) => a.tau - b.tau || a.itemId - b.itemId);
		this.disagreements = this.disagreements.slice(0, this.top);
	}
}
