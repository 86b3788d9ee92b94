import type { AppDB } from '../db';
import { batchReviewerLabels } from '../pseudonyms';
import { describeConcordance, describeReferenceRate, describeTau } from '../stats';
import { batchAgreementAsync } from './agreement';
import { cachedForBatch } from './batch-cache';
import { itemMeasures } from './item-measures';
import { batchProgress, listResearcherProgress } from './progress';
import { reviewsOverTime, timeSpent } from './timing';

/**
 * What the batch dashboard shows: progress, the time reviews take, agreement between reviewers,
 * and how the human consensus compares with AI judges and reference labels.
 */

export {
	batchAgreement,
	batchAgreementAsync,
	type AlphaReading,
	type BatchAgreement
} from './agreement';
export { batchAlphaIntervals, type AlphaIntervals, type ReviewerOverlap } from './alpha-intervals';
export { cachedForBatch } from './batch-cache';
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

/** The whole batch dashboard; the figures that read every item are kept until the batch changes. */
export async function batchDashboard(db: AppDB, batchId: number, options: { showNames: boolean }) {
	const researchers = listResearcherProgress(db, batchId);
	const agreement = await cachedForBatch(db, batchId, 'agreement', () =>
		batchAgreementAsync(db, batchId)
	);
	const label = batchReviewerLabels(db, batchId, options.showNames);
	const measures = await cachedForBatch(db, batchId, 'item-measures', () =>
		itemMeasures(db, batchId)
	);
	return {
		progress: batchProgress(db, batchId),
		researchers: researchers.map(({ userId, ...rest }) => ({
			reviewer: label(userId),
			...rest
		})),
		reviewsOverTime: reviewsOverTime(db, batchId),
		timeSpent: timeSpent(db, batchId),
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
