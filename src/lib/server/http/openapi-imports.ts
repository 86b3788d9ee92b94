import { OVERLAP_MAX, OVERLAP_MIN } from '$lib/batch-settings';
import { importQuerySchema } from '../imports/query';
import { importQueryParameters } from './openapi-schemas';

/**
 * What each import query parameter means. Keyed by the query schema's own keys, so a parameter
 * added to the schema fails to compile until it is described here.
 */
const MEANINGS: Record<keyof typeof importQuerySchema.shape, string> = {
	format: 'The file format, or `auto` to detect it from the file.',
	filename:
		"The file's name: names the constitution (when `constitution` is not given) and the batch.",
	fileName: 'Another spelling of `filename`.',
	constitution: 'The constitution to import into; created when it does not exist.',
	batch: "The new batch's name; by default, after the file.",
	trait: 'The trait for TRL files, which name none (default `preference`).',
	scale: 'Points on the rating scale, 2 to 10.',
	overlap: `Reviews wanted per item, ${OVERLAP_MIN} to ${OVERLAP_MAX}.`,
	blind: 'Hide model names and AI scores from reviewers (default yes; a yes/no word).',
	open: 'Open the batch for review as soon as it is imported (default no: it starts as a draft; a yes/no word).',
	calibration: 'Show reviewers the reference labels once they submit (default no; a yes/no word).',
	replace_invalid_utf8: 'Import bytes that are not UTF-8 as U+FFFD instead of refusing the file.'
};

/** The query parameters of POST /api/v1/imports, with their schemas as sent (strings). */
export function importParameters() {
	const schemas = importQueryParameters(importQuerySchema);
	return Object.entries(MEANINGS).map(([name, description]) => ({
		name,
		in: 'query',
		required: false,
		description,
		schema: schemas[name]
	}));
}
