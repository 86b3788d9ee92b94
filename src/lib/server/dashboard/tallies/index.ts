/**
 * Running tallies: the batch dashboard's figures kept up to date by every write, so that a
 * first load reads a few small tables instead of every review of the batch.
 */
export { backfillTallies, ensureBatchTallies } from './build';
export { refreshItemTallies } from './refresh';
export { readTalliedSpreads, type TalliedSpread } from './spreads';
export { readBatchTallies, type BatchTallies } from './read';
export { tallyAgreement } from './agreement';
export { tallyItemMeasures } from './measures';
export {
	tallyProgress,
	tallyResearcherProgress,
	tallyReviewsOverTime,
	tallyTimeSpent
} from './reviews';
