import { stringify } from 'csv-stringify/sync';
import type { ItemRecord, ResponseRecord, ReviewRecord } from '../../item-records';
import { evidenceOf, withMetadata, type FormatContext, type LineMetadata } from './line';

/**
 * The raw reviews: every judgement, reviewers under pseudonyms. JSONL (which imports back) and
 * CSV for spreadsheets.
 */

export function reviewLine(
	ctx: FormatContext,
	item: ItemRecord,
	review: ReviewRecord,
	metadata: LineMetadata
): object {
	const line = {
		batch: item.batchName,
		item_id: item.externalId,
		trait_key: item.traitKey,
		trait_version: review.traitVersion,
		reviewer: ctx.reviewerName(review.userId),
		responses: item.responses.map((response) => ({
			position: response.position,
			external_id: response.externalId,
			model: response.model,
			score: review.scores[response.id] ?? null,
			rank: review.ranks[response.id] ?? null,
			comment: review.comments[response.id] ?? '',
			evidence: evidenceOf(review, response)
		})),
		overall_comment: review.overallComment,
		flags: review.flags,
		time_spent_ms: review.timeSpentMs,
		submitted_at: review.submittedAt === null ? null : new Date(review.submittedAt).toISOString()
	};
	return withMetadata(ctx, line, metadata);
}

export const CSV_COLUMNS = [
	'batch',
	'item_id',
	'trait_key',
	'trait_version',
	'reviewer',
	'response_position',
	'response_external_id',
	'model',
	'score',
	'rank',
	'comment',
	'overall_comment',
	'flags',
	'time_spent_ms',
	'submitted_at',
	'review_count',
	'agreement',
	'evidence'
] as const;

/**
 * Spreadsheets run a cell that starts with =, +, - or @ (and tab or carriage return, which some
 * of them skip first) as a formula. A leading apostrophe makes it text. Numbers are left alone:
 * a negative agreement is a number, not a formula.
 */
export function neutraliseFormula(value: string): string {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvRows(
	ctx: FormatContext,
	item: ItemRecord,
	review: ReviewRecord,
	meta: LineMetadata
) {
	return item.responses.map((response: ResponseRecord) => [
		item.batchName,
		item.externalId,
		item.traitKey,
		review.traitVersion,
		ctx.reviewerName(review.userId),
		response.position,
		response.externalId ?? '',
		response.model ?? '',
		review.scores[response.id] ?? '',
		review.ranks[response.id] ?? '',
		review.comments[response.id] ?? '',
		review.overallComment,
		review.flags.join(';'),
		review.timeSpentMs,
		review.submittedAt === null ? '' : new Date(review.submittedAt).toISOString(),
		meta.review_count,
		meta.agreement ?? '',
		JSON.stringify(evidenceOf(review, response))
	]);
}

const csvOptions = {
	cast: { string: neutraliseFormula, number: (n: number) => String(n) },
	eof: true,
	record_delimiter: '\n',
	// csv-stringify quotes a cell holding the record delimiter (\n) but not a bare \r, which
	// Python's csv and spreadsheets read as a line break: `ok\r+1+1` became an extra row.
	quoted_match: /[\r\n]/
} as const;

export function csvHeader(): string {
	return stringify([[...CSV_COLUMNS]], csvOptions);
}

/** Rows of cells as CSV text, with the same quoting and guards as the header. */
export function csvText(cells: unknown[][]): string {
	return cells.length ? stringify(cells, csvOptions) : '';
}
