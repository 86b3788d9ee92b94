/**
 * The file formats an import reads: one list for the import page, the query schema of the upload
 * endpoint and the API, the CLI and the importer itself, so that a new format cannot be offered
 * in one place and refused in another. Client-safe: no server imports.
 */
export const IMPORT_FORMATS = ['native', 'trl', 'oct', 'model-spec'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What a person may ask for: one of the formats, or `auto` to have it detected from the file. */
export const IMPORT_FORMAT_CHOICES = ['auto', ...IMPORT_FORMATS] as const;
export type ImportFormatChoice = (typeof IMPORT_FORMAT_CHOICES)[number];

export const IMPORT_FORMAT_LABELS: Record<ImportFormatChoice, string> = {
	auto: 'Detect automatically',
	native: 'Native JSONL',
	trl: 'TRL preference JSONL',
	oct: 'Open Character Training',
	'model-spec': 'Model Spec markdown'
};
