import { readFile } from 'node:fs/promises';
import { formatMegabytes } from '$lib/format';
import type { ImportResult } from '$lib/import-result';
import { batchNameTaken, isBatchNameTaken } from './checks';
import { failure, invalidFile } from './issues';
import type { ImportLimits } from './limits';
import { parseModelSpec } from './parsers/model-spec';
import { parseOct } from './parsers/oct';
import type { ReportProgress } from './types';
import { writeBatch, writeConstitution, type WriteContext } from './writer';

/**
 * Whole-document formats, the Model Spec and Open Character Training, are parsed in memory:
 * they are written by hand and small, and this limit keeps them so.
 */
const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

/** Refuses a document too large to parse in memory; OCT's few-shot JSONL is not one. */
export function checkDocumentSize(totalBytes: number, isDocument: boolean): ImportResult | null {
	if (!isDocument || totalBytes <= MAX_DOCUMENT_BYTES) return null;
	return failure(
		'file_too_large',
		`Documents of this format can be at most ${formatMegabytes(MAX_DOCUMENT_BYTES, 0)}.`
	);
}

/** The Model Spec: sections become traits, examples become items with reference labels. */
export async function importModelSpec(
	ctx: WriteContext,
	path: string,
	progress: ReportProgress
): Promise<ImportResult> {
	const text = await readFile(path, 'utf8');
	progress('validating', 0);
	const parsed = parseModelSpec(text);
	if (parsed.issues.length) return invalidFile(parsed.issues);
	if (parsed.items.length === 0)
		return failure('invalid_file', 'The file has no **Example** blocks to review.');
	if (isBatchNameTaken(ctx.db, ctx.batchName)) {
		return failure('invalid_file', batchNameTaken(ctx.batchName));
	}
	const usedKeys = new Set(parsed.items.map((i) => i.traitKey));
	progress('writing', 0);
	return writeBatch(
		ctx,
		parsed.traits.filter((t) => usedKeys.has(t.key)),
		parsed.items,
		true
	);
}

/** Open Character Training: a constitution, its traits, and their questions as prompts. */
export async function importOct(
	ctx: WriteContext,
	path: string,
	limits: ImportLimits,
	progress: ReportProgress
): Promise<ImportResult> {
	progress('validating', 0);
	const parsed = parseOct(await readFile(path, 'utf8'), limits);
	if (parsed.issues.length) return invalidFile(parsed.issues);
	if (parsed.traits.length === 0) {
		return failure(
			'invalid_file',
			'The file has no traits (is it the empty template?). Nothing was imported.'
		);
	}
	progress('writing', 0);
	return writeConstitution(ctx, parsed.traits);
}
