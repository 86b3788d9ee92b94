import { cachedForBatch } from '../dashboard';
import type { AppDB } from '../db';
import { batchReviewerLabels } from '../pseudonyms';
import { describeTau, type MeanInterval, type PositionBias } from '../stats';
import { collectJudging, MIN_POSITION_TRIALS, MIN_TAU_ITEMS } from './collect';
import { flaggedItemIds } from './flags';
import { describePositionBias, formatPValue, positionVerdict } from './readings';

/**
 * The Judge and position page: how well the AI judge's order matches the humans' (judge
 * calibration), and whether the response shown first wins more often than chance, per reviewer
 * and for the judge (position bias).
 */

export { collectJudging, MIN_POSITION_TRIALS, MIN_TAU_ITEMS, type JudgingFigures } from './collect';
export { flaggedItemIds, sendToAdjudication } from './flags';
export { JUDGE_SHOWN_ORDER_KEY } from './orders';
export { BIAS_ALPHA, describePositionBias, formatPValue, positionVerdict } from './readings';

/** A mean tau with its interval, or nothing to read below the minimum number of items. */
function tauRow(interval: MeanInterval) {
	const enough = interval.n >= MIN_TAU_ITEMS;
	return {
		items: interval.n,
		enough,
		mean: enough ? interval.mean : null,
		lower: enough ? interval.lower : null,
		upper: enough ? interval.upper : null
	};
}

function biasRow(bias: PositionBias & { unknownOrder?: number }) {
	return {
		trials: bias.trials,
		wins: bias.wins,
		rate: bias.rate,
		chance: bias.chance,
		pValue: bias.test?.pValue ?? null,
		pText: bias.test ? formatPValue(bias.test.pValue) : null,
		tiedTop: bias.tiedTop,
		incomplete: bias.incomplete,
		/** Imported reviews, shown in an order nobody here knows: not trials. */
		unknownOrder: bias.unknownOrder ?? 0,
		verdict: positionVerdict(bias),
		reading: describePositionBias(bias, MIN_POSITION_TRIALS)
	};
}

/**
 * The page's figures for one batch, reviewers named for the viewer (pseudonyms for leads,
 * usernames for admins). The pass over the items is kept until a review or decision changes;
 * which items were sent to adjudication is read fresh.
 */
export async function batchJudging(db: AppDB, batchId: number, options: { showNames: boolean }) {
	const figures = await cachedForBatch(db, batchId, 'judging', () => collectJudging(db, batchId));
	const label = batchReviewerLabels(db, batchId, options.showNames);
	const flagged = flaggedItemIds(db, batchId);
	const { calibration, position } = figures;
	const overall = tauRow(calibration.overall);
	return {
		itemsWithJudge: figures.itemsWithJudge,
		calibration: {
			overall: {
				...overall,
				reading: overall.enough
					? describeTau(overall.mean)
					: `Too few to judge: ${overall.items} item${overall.items === 1 ? '' : 's'} with both orders; at least ${MIN_TAU_ITEMS} needed.`
			},
			byTrait: calibration.byTrait.map((t) => ({ key: t.key, ...tauRow(t.interval) })),
			reviewers: calibration.reviewers.map((r) => ({
				reviewer: label(r.userId),
				items: r.items,
				enough: r.items >= MIN_TAU_ITEMS,
				mean: r.items >= MIN_TAU_ITEMS ? r.mean : null
			})),
			disagreements: calibration.disagreements.map((d) => ({
				...d,
				flagged: flagged.has(d.itemId)
			}))
		},
		position: {
			reviewers: biasRow(position.reviewers),
			byReviewer: position.byReviewer.map((r) => ({
				reviewer: label(r.userId),
				...biasRow(r.bias)
			})),
			judge: position.judge && biasRow(position.judge),
			judgeShownOrder: position.judgeShownOrder
		},
		minimums: { tauItems: MIN_TAU_ITEMS, positionTrials: MIN_POSITION_TRIALS }
	};
}

export type BatchJudging = Awaited<ReturnType<typeof batchJudging>>;
