import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { formatMegabytes } from '$lib/format';
import type { ImportResult } from '$lib/import-result';
import { batchNameTaken, constitutionNameIssue, isBatchNameTaken } from './checks';
import { failure, invalidFile, IssueList } from './issues';
import { decodeDocument, readLineBatches, type LineEntry } from './lines';
import { ModelSpecReader } from './parsers/model-spec';
import { OctReader } from './parsers/oct';
import { traitIssues } from './parsers/trait-checks';
import type { ParsedTrait, ReadRules, ReportProgress } from './types';
import { writeBatch, writeConstitution, type CheckContext, type CheckedFile } from './writer';

/**
 * Whole-document formats, the Model Spec and Open Character Training, are held in memory:
 * they are written by hand and small, and this limit keeps them so. OCT's few-shot JSONL is
 * not one: it streams like the other JSONL formats.
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

/**
 * Hands each line of a file to `onLine`, through the one line reader with the file's limits,
 * a chunk's worth at a time (one await per chunk, not per line), reporting progress.
 */
async function forEachLine(
	path: string,
	rules: ReadRules & { keepBlankLines?: boolean },
	progress: ReportProgress,
	onLine: (entry: LineEntry) => void
): Promise<void> {
	const file = createReadStream(path);
	for await (const batch of readLineBatches(file, rules)) {
		progress('validating', file.bytesRead);
		batch.forEach(onLine);
	}
}

/** The traits and the constitution name the catalog would refuse, as problems of the file. */
function catalogProblems(ctx: CheckContext, traits: ParsedTrait[], issues: IssueList): void {
	for (const trait of traits) issues.addAll(traitIssues(trait));
	const nameIssue = constitutionNameIssue(ctx.db, ctx.constitutionName);
	if (nameIssue) issues.add(nameIssue);
}

/** The Model Spec: sections become traits, examples become items with reference labels. */
export async function checkModelSpec(
	ctx: CheckContext,
	path: string,
	rules: ReadRules,
	progress: ReportProgress
): Promise<CheckedFile> {
	progress('validating', 0);
	const reader = new ModelSpecReader(rules);
	await forEachLine(path, { ...rules, keepBlankLines: true }, progress, (e) => reader.addLine(e));
	const parsed = reader.finish();
	if (parsed.totalIssues) return invalidFile(parsed.issues, parsed.totalIssues);
	if (parsed.items.length === 0)
		return failure('invalid_file', 'The file has no **Example** blocks to review.');
	const usedKeys = new Set(parsed.items.map((i) => i.traitKey));
	const used = parsed.traits.filter((t) => usedKeys.has(t.key));
	const issues = new IssueList();
	catalogProblems(ctx, used, issues);
	if (issues.total) return invalidFile(issues.kept, issues.total);
	if (isBatchNameTaken(ctx.db, ctx.batchName)) {
		return failure('invalid_file', batchNameTaken(ctx.batchName));
	}
	return {
		write: (sha) => {
			progress('writing', 0);
			return writeBatch({ ...ctx, sha }, used, parsed.items, true);
		}
	};
}

/**
 * Open Character Training: a constitution, its traits, and their questions as prompts. A
 * hand-written list is one JSON document; few-shot JSONL is read line by line.
 */
export async function checkOct(
	ctx: CheckContext,
	path: string,
	rules: ReadRules,
	isDocument: boolean,
	progress: ReportProgress
): Promise<CheckedFile> {
	progress('validating', 0);
	const reader = new OctReader();
	if (isDocument) {
		const document = decodeDocument(await readFile(path), rules);
		if ('error' in document)
			return invalidFile([{ line: document.line, path: '', message: document.error }]);
		reader.addDocument(document.text, rules);
	} else {
		await forEachLine(path, rules, progress, (e) => reader.addLine(e));
	}
	catalogProblems(ctx, reader.traits, reader.issues);
	if (reader.issues.total) return invalidFile(reader.issues.kept, reader.issues.total);
	if (reader.traits.length === 0) {
		return failure(
			'invalid_file',
			'The file has no traits (is it the empty template?). Nothing was imported.'
		);
	}
	return {
		write: (sha) => {
			progress('writing', 0);
			return writeConstitution({ ...ctx, sha }, reader.traits);
		}
	};
}
