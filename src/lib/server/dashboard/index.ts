import type { AppDB } from '../db';
import { batchReviewerLabels } from '../pseudonyms';
import { describeConcordance, describeReferenceRate, describeTau } from '../stats';
import { batchAgreementAsync, type BatchAgreement } from './agreement';
import { itemMeasures, type ItemMeasures } from './item-measures';
import {
	batchProgress,
	listResearcherProgress,
	type BatchProgress,
	type ResearcherProgress
} from './progress';
import {
	ensureBatchTallies,
	readBatchTallies,
	tallyAgreement,
	tallyItemMeasures,
	tallyProgress,
	tallyResearcherProgress,
	tallyReviewsOverTime,
	tallyTimeSpent
} from './tallies';
import { reviewsOverTime, timeSpent, type ReviewsOverTime, type TimeSpent } from './timing';

/**
 * What the batch dashboard shows: progress, the time reviews take, agreement between reviewers,
 * and how the human consensus compares with AI judges and reference labels.
 */

export {
	batchAgreement,
	batchAgreementAsync,
	createBatchAlpha,
	type AlphaReading,
	type BatchAgreement
} from './agreement';
export { batchAlphaIntervals, type AlphaIntervals, type ReviewerOverlap } from './alpha-intervals';
export { cachedForBatch } from './batch-cache';
export {
	batchGoldSummary,
	goldAccuracy,
	type BatchGoldSummary,
	type ReviewerGoldAccuracy
} from '../gold';
export {
	backfillTallies,
	ensureBatchTallies,
	hasStaleTallies,
	markItemStale,
	readTalliedSpreads,
	refreshBatchItems,
	refreshItemTallies,
	refreshStaleTallies,
	startTallyRefresher
} from './tallies';
export {
	itemMeasures,
	type AiDisagreement,
	type ItemMeasures,
	type MeanOf,
	type ReferenceTally
} from './item-measures';
export { leaveOneOutReadings, type LeaveOneOutRow } from './leave-one-out';
export { ModelGames, type ModelStanding, type TraitModels } from './model-comparison';
export {
	batchProgress,
	listBatchProgress,
	listResearcherProgress,
	type BatchProgress,
	type BatchProgressRow,
	type ResearcherProgress,
	type ReviewProgress,
	type TraitProgress
} from './progress';
export { dashboardReadings, type DashboardReadings } from './summary';
export {
	reviewsOverTime,
	timeSpent,
	TIME_BIN_EDGES_MS,
	type ReviewsOverTime,
	type TimeSpent
} from './timing';

/**
 * The whole batch dashboard, from the running tallies: a first load reads a few small tables,
 * not every review. A batch never counted before (imported since the start, or from before the
 * tallies) is counted once first.
 */
export async function batchDashboard(db: AppDB, batchId: number, options: { showNames: boolean }) {
	await ensureBatchTallies(db, batchId);
	const client = db.$client;
	const tallies = readBatchTallies(client, batchId, 10);
	return dashboardOf(db, batchId, options, {
		progress: tallyProgress(tallies),
		researchers: tallyResearcherProgress(db, batchId, tallies),
		reviewsOverTime: tallyReviewsOverTime(client, batchId),
		timeSpent: tallyTimeSpent(client, batchId),
		agreement: tallyAgreement(client, batchId, tallies),
		measures: await tallyItemMeasures(client, batchId, tallies)
	});
}

/**
 * The same dashboard counted again from every review of the batch: seconds on a large batch.
 * What the tallies are checked against, and the benchmark's baseline.
 */
export async function recountDashboard(
	db: AppDB,
	batchId: number,
	options: { showNames: boolean }
) {
	return dashboardOf(db, batchId, options, {
		progress: batchProgress(db, batchId),
		researchers: listResearcherProgress(db, batchId),
		reviewsOverTime: reviewsOverTime(db, batchId),
		timeSpent: timeSpent(db, batchId),
		agreement: await batchAgreementAsync(db, batchId),
		measures: await itemMeasures(db, batchId)
	});
}

type DashboardParts = {
	progress: BatchProgress;
	researchers: ResearcherProgress[];
	reviewsOverTime: ReviewsOverTime;
	timeSpent: TimeSpent;
	agreement: BatchAgreement;
	measures: ItemMeasures;
};

/** The figures as the page shows them: reviewers named for the viewer, readings added. */
function dashboardOf(
	db: AppDB,
	batchId: number,
	options: { showNames: boolean },
	{ agreement, measures, researchers, ...parts }: DashboardParts
) {
	const label = batchReviewerLabels(db, batchId, options.showNames);
	return {
		progress: parts.progress,
		researchers: researchers.map(({ userId, ...rest }) => ({ reviewer: label(userId), ...rest })),
		reviewsOverTime: parts.reviewsOverTime,
		timeSpent: parts.timeSpent,
		agreement: {
			ratings: agreement.ratings,
			overall: agreement.overall,
			byTrait: agreement.byTrait,
			withoutReviewer: [...agreement.withoutReviewer]
				.sort((a, b) => a.userId - b.userId)
				.map((w) => ({ reviewer: label(w.userId), alpha: w.alpha })),
			concordance: {
				...measures.concordance,
				reading: describeConcordance(measures.concordance.mean)
			}
		},
		humanVsAi: { ...measures.humanVsAi, reading: describeTau(measures.humanVsAi.overall.mean) },
		reference: { ...measures.reference, reading: describeReferenceRate(measures.reference.rate) },
		byModel: measures.byModel
	};
}

export type BatchDashboard = Awaited<ReturnType<typeof batchDashboard>>;
