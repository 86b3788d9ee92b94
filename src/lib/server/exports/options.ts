import { z } from 'zod';
import {
	CHECK_ACTIONS,
	checkFieldName,
	CONTENT_CHECKS,
	DEFAULT_CHECK_ACTIONS,
	DEFAULT_PAIR_STRATEGY,
	DEFAULT_TRAIT_PAIRING,
	defaultIncludeMetadata,
	EXPORT_FORMATS,
	EXPORT_OUTPUTS,
	PAIR_STRATEGIES,
	TRAIT_PAIRINGS,
	type ContentCheck,
	type ExportFormat,
	type ExportFormValues
} from '$lib/export-options';

/** True for the formats made of preference pairs (or unpaired halves of them). */
export function isPairFormat(format: ExportFormat): boolean {
	return format !== 'reviews-jsonl' && format !== 'reviews-csv';
}

/** The extension of the lines' files: the export file itself, or each data file of a folder. */
export function fileExtension(format: ExportFormat): string {
	return format === 'reviews-csv' ? 'csv' : 'jsonl';
}

/** Form checkboxes arrive as "on" or not at all; the API sends booleans. */
const flag = z.preprocess(
	(v) => (v === 'on' || v === 'true' ? true : v === 'false' || v === '' ? false : v),
	z.boolean()
);

const checkAction = (check: ContentCheck) =>
	z
		.enum(CHECK_ACTIONS, { message: `Choose drop or keep for the ${check} check.` })
		.default(DEFAULT_CHECK_ACTIONS[check]);

/** Per content check, drop or keep the pairs it finds; a check not named takes its default. */
const contentChecks = z
	.object(
		Object.fromEntries(CONTENT_CHECKS.map((check) => [check, checkAction(check)])) as {
			[K in ContentCheck]: ReturnType<typeof checkAction>;
		},
		{ message: 'The checks must be an object of check names and "drop" or "keep".' }
	)
	.strict()
	// `prefault`: a missing object is parsed as {}, so each check still gets its own default.
	.prefault({})
	.describe(
		'Per content check, `drop` the pairs it finds or `keep` them (reported only). Defaults: ' +
			CONTENT_CHECKS.map((c) => `${c} ${DEFAULT_CHECK_ACTIONS[c]}`).join(', ') +
			'.'
	);

export const exportOptionsFields = z.object({
	batchIds: z.preprocess(
		(v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
		z
			.array(z.coerce.number().int().positive())
			.min(1, 'Choose at least one batch.')
			.transform((ids) => [...new Set(ids)].sort((a, b) => a - b))
	),
	format: z.enum(EXPORT_FORMATS, { message: 'Choose a format.' }),
	strategy: z
		.enum(PAIR_STRATEGIES, { message: 'Choose a pairing strategy.' })
		.default(DEFAULT_PAIR_STRATEGY),
	/** Adds each pair's score difference as `margin` (TRL preference formats). */
	includeMargin: flag.default(false),
	minMargin: z.coerce
		.number({ message: 'The minimum margin must be a number.' })
		.min(0, 'The minimum margin cannot be negative.')
		.max(100)
		.default(0),
	minReviews: z.coerce
		.number({ message: 'The minimum number of reviews must be a whole number.' })
		.int('The minimum number of reviews must be a whole number.')
		.min(1, 'At least one review is needed.')
		.max(50)
		.default(1),
	/** Mean pairwise Kendall tau between reviewers' scores, -1 to 1; null for no filter. */
	minAgreement: z.preprocess(
		(v) => (v === '' || v === undefined ? null : v),
		z.coerce
			.number({ message: 'The minimum agreement must be a number between -1 and 1.' })
			.min(-1, 'The minimum agreement must be between -1 and 1.')
			.max(1, 'The minimum agreement must be between -1 and 1.')
			.nullable()
	),
	excludeFlagged: flag.default(true),
	lockedOnly: flag.default(true),
	/**
	 * Gold items are there to measure reviewers, and their expected order is the lead's, not the
	 * reviewers': pair formats leave them out unless asked. Raw reviews keep them, marked.
	 */
	includeGold: flag.default(false),
	/** Leaves `metadata` out of every line, for trainers that refuse keys they do not know. */
	includeMetadata: flag.optional(),
	/** OpenRLHF: the prompt under its own `prompt` key instead of at the head of each answer. */
	separatePrompt: flag.default(false),
	/** Pair formats: the evidence spans behind each line's chosen and rejected, in `metadata`. */
	rationale: flag.default(false),
	output: z
		.enum(EXPORT_OUTPUTS, { message: 'Choose one file or a dataset folder.' })
		.default('file'),
	/** The share of items (not lines) a dataset folder puts in its `test` split; 0: no split. */
	testShare: z.coerce
		.number({ message: 'The test share must be a number between 0 and 0.9.' })
		.min(0, 'The test share must be between 0 and 0.9.')
		.max(0.9, 'The test share must be between 0 and 0.9.')
		.default(0),
	seed: z.coerce
		.number({ message: 'The seed must be a whole number.' })
		.int('The seed must be a whole number.')
		.min(0, 'The seed must be a whole number from 0 to 4294967295.')
		.max(4294967295, 'The seed must be a whole number from 0 to 4294967295.')
		.default(0),
	/** The dataset card's `license`, as the Hugging Face Hub names licenses. */
	license: z
		.string()
		.trim()
		.toLowerCase()
		.regex(/^[a-z0-9][a-z0-9.+-]{0,63}$/, 'Use a license id from the Hub, such as cc-by-4.0.')
		.default('other'),
	checks: contentChecks,
	pairing: z
		.enum(TRAIT_PAIRINGS, { message: 'Choose per-trait or agree-all-traits pairing.' })
		.default(DEFAULT_TRAIT_PAIRING)
		.describe(
			'Items sharing a prompt across traits: `per-trait` writes each trait’s pairs as they are; ' +
				'`agree-all-traits` leaves out pairs another trait orders the other way.'
		)
});

/** Everything that decides an export's content: stored with the record, so it can be re-run. */
export const exportOptionsSchema = exportOptionsFields.transform((options) => ({
	...options,
	includeMetadata: options.includeMetadata ?? defaultIncludeMetadata(options.format)
}));

export type ExportOptions = z.output<typeof exportOptionsSchema>;
export type ExportOptionsInput = z.input<typeof exportOptionsSchema>;

export function exportOptionsFromForm(form: FormData): ExportFormValues {
	const text = (name: string) => {
		const value = form.get(name);
		return typeof value === 'string' && value !== '' ? value : undefined;
	};
	return {
		batchIds: form.getAll('batchIds').map(Number),
		format: text('format'),
		strategy: text('strategy'),
		includeMargin: form.has('includeMargin'),
		includeMetadata: form.has('includeMetadata'),
		separatePrompt: form.has('separatePrompt'),
		rationale: form.has('rationale'),
		minMargin: text('minMargin'),
		minReviews: text('minReviews'),
		minAgreement: text('minAgreement'),
		excludeFlagged: form.has('excludeFlagged'),
		lockedOnly: form.has('lockedOnly'),
		includeGold: form.has('includeGold'),
		output: text('output'),
		testShare: text('testShare'),
		seed: text('seed'),
		license: text('license'),
		checks: Object.fromEntries(CONTENT_CHECKS.map((c) => [c, text(checkFieldName(c))])),
		pairing: text('pairing')
	};
}
