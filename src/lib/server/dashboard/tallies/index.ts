/**
 * Running tallies: the batch dashboard's figures kept up to date with every write, so that a
 * first load reads a few small tables instead of every review of the batch. A decision
 * refreshes them at once; a submit or an edit marks its item stale, and the marks are refreshed
 * in the background (startTallyRefresher) and before any read (ensureBatchTallies).
 */
export { backfillTallies, ensureBatchTallies } from './build';
export { refreshBatchItems, refreshItemTallies } from './refresh';
export { startTallyRefresher } from './refresher';
export { hasStaleTallies, markItemStale, refreshStaleTallies } from './stale';
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
