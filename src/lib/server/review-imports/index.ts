/**
 * Reviews made elsewhere: a reviews JSONL, in the shape the `reviews-jsonl` export writes,
 * imported onto a batch. Its reviewers become the accounts a lead names, or external
 * reviewers who cannot log in.
 *
 *   run.ts        the entry: a checking pass as a stream, then one immediate write transaction
 *   session.ts    one pass: each line parsed, matched, placed (duplicates, overlap), written
 *   line.ts       a line's schema: strict on known keys, unknown keys ignored
 *   match.ts      a line's item, responses and trait version in this instance
 *   reviewers.ts  the reviewer map, and the external reviewers' names
 *   target.ts     the batch and its items as the lines need them
 *   query.ts      the options as query parameters (the API)
 */
export {
	importReviews,
	type ImportedReviewer,
	type ReviewImportOptions,
	type ReviewImportResult,
	type ReviewImportSuccess
} from './run';
export { parseReviewerMap, type ReviewerMap } from './reviewers';
export { reviewImportQuery, type ReviewImportQuery } from './query';
