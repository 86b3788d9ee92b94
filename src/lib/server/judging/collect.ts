import type { AppDB } from '../db';
import { nextTurn, readItemChunks } from '../item-records';
import { CalibrationTally, type Calibration } from './calibration';
import { humanMerit, judgeMerit } from './orders';
import { PositionTallies, type PositionSummary } from './position';
import { MIN_TAU_ITEMS } from '../stats/readings';

/** Judgements with a single winner needed before a position-bias test is shown. */
export const MIN_POSITION_TRIALS = 20;
/** Items needed before a mean tau (and its interval) is shown: the dashboard's own minimum. */
export { MIN_TAU_ITEMS };
/** How many of the items where judge and humans disagree most are listed. */
const TOP_DISAGREEMENTS = 10;

export type JudgingFigures = {
	/** Items whose responses carry an AI rank or score. */
	itemsWithJudge: number;
	calibration: Calibration;
	position: PositionSummary;
};

/**
 * One pass over the batch's items, a chunk at a time and without the response texts: only
 * tallies, one tau per item and the worst few items are kept.
 */
export async function collectJudging(db: AppDB, batchId: number): Promise<JudgingFigures> {
	const calibration = new CalibrationTally(TOP_DISAGREEMENTS);
	const position = new PositionTallies();
	let itemsWithJudge = 0;
	for (const chunk of readItemChunks(db.$client, batchId, { withContent: false })) {
		for (const item of chunk) {
			const judge = judgeMerit(item);
			position.addItem(item, judge);
			if (!judge) continue;
			itemsWithJudge++;
			calibration.addItem(item, judge, humanMerit(item));
		}
		await nextTurn();
	}
	return {
		itemsWithJudge,
		calibration: await calibration.summarise(),
		position: position.summarise(MIN_POSITION_TRIALS)
	};
}
