// Reviews: who may review which batch, the queue that hands out items under leases, the
// writes of drafts, submits, skips and edits, the researcher's lists, and what the review
// page may show one researcher.
export { assignResearcher, listAssignments, removeAssignment, setOverlap } from './assignments';
export {
	claimNextItem,
	getQueueProgress,
	leaseMs,
	renewLease,
	type Claim,
	type QueueProgress
} from './queue';
export {
	editSubmittedReview,
	saveDraft,
	skipItem,
	submitReview,
	type SubmitResult
} from './writes';
export { listMyBatches, listMyReviews } from './listings';
export { requireItemInBatch } from './rows';
export { loadReviewPage } from './page';
export {
	goToNext,
	parsePayload,
	runJsonStep,
	saveStep,
	skipStep,
	startReviewing,
	submitStep,
	write,
	type StepOutcome,
	type StepRoute
} from './steps';
