import { z } from 'zod';
import type { ImportIssue } from '$lib/import-result';
import { REVIEW_FLAGS, type ReviewFlag } from '$lib/review-input';
import { expected, parseJsonLine } from '../imports/parsers/json';
import { readFileEvidence, type FileSpan } from './evidence';

/**
 * One line of a reviews JSONL, in the shape the `reviews-jsonl` export writes
 * (exports/formats/reviews.ts `reviewLine`). Known keys are checked strictly; unknown keys are
 * dropped (zod strips them), so a file from a newer instance still imports. Each response
 * entry's `evidence` (evidence spans) is read by evidence.ts, under the review page's rules.
 */

const MAX_TEXT = 20_000;
const DAY_MS = 24 * 3600_000;

const wholeNumber = (what: string, min: number) =>
	z.number(expected(what)).int(`must be ${what}`).min(min, `must be ${what}`);

/** A comment: text up to MAX_TEXT characters, empty when left out. */
const comment = () =>
	z
		.string(expected('a string'))
		.max(MAX_TEXT, `can have at most ${MAX_TEXT} characters`)
		.default('');

const responseEntrySchema = z.object(
	{
		position: wholeNumber('a whole number, 0 or more', 0),
		external_id: z.string(expected('a string or null')).nullable().optional(),
		model: z.string(expected('a string or null')).nullable().optional(),
		score: wholeNumber('a whole number on the batch scale', 1),
		rank: wholeNumber('a whole number, 1 or more', 1),
		comment: comment(),
		// Only the shape here: the spans' own rules are the review page's, checked in evidence.ts.
		evidence: z
			.array(
				z.looseObject(
					{ text: z.string(expected('a string')).optional() },
					expected('an object {"start", "end", "stance", "note", "text"}')
				),
				expected('a list')
			)
			.default([])
	},
	expected('an object {"position", "score", "rank", …}')
);

const reviewLineSchema = z.object(
	{
		batch: z.string(expected('a string')),
		item_id: z.string(expected('a string')).min(1, 'must not be empty'),
		trait_key: z.string(expected('a string')).min(1, 'must not be empty'),
		trait_version: wholeNumber('a whole number, 1 or more', 1),
		reviewer: z
			.string(expected('a string'))
			.trim()
			.min(1, 'must not be empty')
			.max(200, 'can have at most 200 characters'),
		responses: z
			.array(responseEntrySchema, expected('a list of responses'))
			.min(2, 'needs at least 2 responses'),
		overall_comment: comment(),
		flags: z
			.array(
				z.enum(REVIEW_FLAGS, expected(`one of ${REVIEW_FLAGS.join(', ')}`)),
				expected('a list')
			)
			.default([])
			.refine((flags) => new Set(flags).size === flags.length, 'must not repeat a flag'),
		time_spent_ms: wholeNumber('a whole number of milliseconds, 0 or more', 0)
			.max(DAY_MS, 'can be at most a day')
			.default(0),
		submitted_at: z.iso
			.datetime({ offset: true, error: 'must be a date and time like 2026-11-29T10:00:00.000Z' })
			.nullable()
			.default(null),
		metadata: z.record(z.string(), z.unknown(), expected('an object')).optional()
	},
	expected('a JSON object')
);

export type ReviewLineResponse = {
	position: number;
	externalId: string | null;
	score: number;
	rank: number;
	comment: string;
	evidence: FileSpan[];
};

/** A line as read: what the review says, before it is matched to this instance's rows. */
export type ReviewLine = {
	line: number;
	/** The batch's name where the review was made: names its external reviewers by default. */
	sourceBatch: string;
	itemId: string;
	traitKey: string;
	traitVersion: number;
	reviewer: string;
	responses: ReviewLineResponse[];
	overallComment: string;
	flags: ReviewFlag[];
	timeSpentMs: number;
	/** Milliseconds; null when the file does not say (the import's time is used). */
	submittedAt: number | null;
};

/** One line: the review it holds, or every problem with its field. */
export function parseReviewLine(
	text: string,
	line: number
): { review: ReviewLine; issues?: never } | { review?: never; issues: ImportIssue[] } {
	const parsed = parseJsonLine(text, line, reviewLineSchema);
	if (parsed.issues) return { issues: parsed.issues };
	const v = parsed.value;
	const evidence = readFileEvidence(v.responses, line);
	if (evidence.issues) return { issues: evidence.issues };
	return {
		review: {
			line,
			sourceBatch: v.batch,
			itemId: v.item_id,
			traitKey: v.trait_key,
			traitVersion: v.trait_version,
			reviewer: v.reviewer,
			responses: v.responses.map((r, i) => ({
				position: r.position,
				externalId: r.external_id ?? null,
				score: r.score,
				rank: r.rank,
				comment: r.comment,
				evidence: evidence.spans[i]
			})),
			overallComment: v.overall_comment,
			flags: v.flags,
			timeSpentMs: v.time_spent_ms,
			submittedAt: v.submitted_at === null ? null : Date.parse(v.submitted_at)
		}
	};
}
