import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { eq } from 'drizzle-orm';
import { formatMegabytes } from '$lib/format';
import { IMPORT_FORMATS, type ImportFormat, type ImportFormatChoice } from '$lib/import-formats';
import type { ImportProgress, ImportResult } from '$lib/import-result';
import { openBatch } from '../batches';
import type { AppDB, DB } from '../db';
import { withCheckpointer } from '../db/checkpointer';
import { batches, constitutions, imports } from '../db/schema';
import { failure } from './issues';
import { removeAbandonedImports } from './leftovers';
import { configuredLimits, type ImportLimits } from './limits';
import { detectFormat } from './parsers/detect';
import { startHashing } from './file-hash';
import { checkDocumentSize, checkModelSpec, checkOct } from './read-documents';
import { checkJsonl } from './read-jsonl';
import { DEFAULT_BATCH_SETTINGS, validateSettings, type BatchSettings } from './settings';
import type { ReadRules, ReportProgress } from './types';
import type { CheckContext, CheckedFile } from './writer';

export type ImportOptions = {
	fileName?: string;
	format?: ImportFormatChoice;
	/** The constitution to import into; created when it does not exist. */
	constitution?: string;
	batch?: string;
	/** TRL files name no trait: their items go to this one. */
	traitKey?: string;
	settings?: Partial<BatchSettings>;
	limits?: Partial<ImportLimits>;
	/** Import bytes that are not UTF-8 as U+FFFD instead of refusing the file. */
	replaceInvalidUtf8?: boolean;
	/** Open the batch for review once it is imported, rather than leave it a draft. */
	open?: boolean;
	actorId: number | null;
	onProgress?: (progress: ImportProgress) => void;
};

/** From this size, the write gets a checkpoint worker when the process has none (the CLI). */
const LONG_WRITE_BYTES = 64 * 1024 * 1024;

/** Imports one file (see below); a batch is then opened for review if the options ask. */
export async function importFile(
	db: AppDB,
	path: string,
	options: ImportOptions
): Promise<ImportResult> {
	const result = await importChecked(db, path, options);
	if (!result.ok || result.kind !== 'batch') return result;
	if (options.open) openBatch(db, options.actorId, result.batchId);
	return { ...result, status: options.open ? 'open' : 'draft' };
}

/**
 * Imports one file, everything or nothing, in short transactions into a batch nobody sees until
 * the last one commits (writer.ts). Documents are checked whole before the write; JSONL is
 * validated as it is written, and read a second time only to report a file that is not clean
 * (read-jsonl.ts). Nothing is held in memory but a line. The file's hash, which tells a file
 * imported before, is taken on another thread during the checks, and known before any write.
 */
async function importChecked(
	db: AppDB,
	path: string,
	options: ImportOptions
): Promise<ImportResult> {
	const limits = {
		...configuredLimits(),
		...options.limits,
		replaceInvalidUtf8: options.replaceInvalidUtf8 === true
	};
	const totalBytes = statSync(path).size;
	if (totalBytes > limits.maxFileBytes) {
		return failure(
			'file_too_large',
			`The file is ${formatMegabytes(totalBytes)}; the limit is ${formatMegabytes(limits.maxFileBytes, 0)}.`
		);
	}
	if (totalBytes === 0) return failure('invalid_file', 'The file is empty.');
	const progress = (phase: ImportProgress['phase'], bytes: number) =>
		options.onProgress?.({ phase, bytes, totalBytes });
	progress('checking', 0);

	const hashing = startHashing(path, totalBytes);
	try {
		// A crashed import of this very file must not block importing it again.
		await removeAbandonedImports(db);
		let abandoned = false;
		const refusal = hashing.sha.then((sha) => {
			const refused = refuseImportedBefore(db, sha);
			abandoned = refused !== null;
			return refused;
		});
		// Awaited below unless the check ends early; a stopped hash is then nobody's error.
		refusal.catch(() => {});
		const checked = await checkFile(db, path, options, {
			limits,
			totalBytes,
			progress,
			abandoned: () => abandoned
		});
		// A document too large to read was never imported: no need to wait for its hash.
		if ('code' in checked && checked.code === 'file_too_large') return checked;
		// A file imported before is told so first, whatever else is wrong with it.
		const refused = await refusal;
		if (refused) return refused;
		if (!('write' in checked)) return checked;
		const sha = await hashing.sha;
		return totalBytes < LONG_WRITE_BYTES
			? await checked.write(sha)
			: await withCheckpointer(db.$client, () => checked.write(sha));
	} finally {
		await hashing.stop();
	}
}

/** Checks a file, writing nothing: its problems, or how to write it (and check the rest). */
async function checkFile(
	db: AppDB,
	path: string,
	options: ImportOptions,
	{
		limits,
		totalBytes,
		progress,
		abandoned
	}: { limits: ReadRules; totalBytes: number; progress: ReportProgress; abandoned: () => boolean }
): Promise<CheckedFile> {
	const fileName = options.fileName ?? basename(path);

	const format =
		options.format && options.format !== 'auto'
			? options.format
			: detectFormat(await readHead(path), fileName);
	if (!format) {
		const choices = `${IMPORT_FORMATS.slice(0, -1).join(', ')} or ${IMPORT_FORMATS.at(-1)}`;
		return failure(
			'unknown_format',
			`Could not tell the format of this file. Choose it explicitly: ${choices}.`
		);
	}
	const settings = { ...DEFAULT_BATCH_SETTINGS, ...options.settings };
	const settingIssues = validateSettings(settings);
	if (settingIssues.length)
		return failure('invalid_file', 'The batch settings are not valid.', settingIssues);

	const context: CheckContext = {
		db,
		abandoned,
		fileName,
		format,
		actorId: options.actorId,
		constitutionName: options.constitution?.trim() || defaultConstitutionName(format, fileName),
		batchName:
			options.batch?.trim() ||
			`${stripExtension(fileName)} (${new Date().toISOString().slice(0, 16).replace('T', ' ')})`,
		settings
	};

	const isDocument =
		format === 'model-spec' || (format === 'oct' && !looksLikeJsonl(await readHead(path, 4096)));
	const tooLarge = checkDocumentSize(totalBytes, isDocument);
	if (tooLarge) return tooLarge;
	if (format === 'model-spec') return checkModelSpec(context, path, limits, progress);
	if (format === 'oct') return checkOct(context, path, limits, isDocument, progress);
	return checkJsonl(context, path, limits, options.traitKey?.trim() || 'preference', progress);
}

/** The refusal of a file imported before, or being imported now; null for a new file. */
function refuseImportedBefore(db: DB, sha: string): ImportResult | null {
	const previous = findPreviousImport(db, sha);
	if (!previous) return null;
	if (previous.batchStatus === 'importing') {
		return failure(
			'already_imported',
			'This file is being imported right now by another request. Nothing was added.'
		);
	}
	const what = previous.batchName
		? `batch "${previous.batchName}"`
		: `constitution "${previous.constitutionName}"`;
	return {
		...failure('already_imported', `This file was already imported as ${what}. Nothing was added.`),
		existing: {
			batchId: previous.batchId,
			batchName: previous.batchName,
			constitutionId: previous.constitutionId
		}
	};
}

async function readHead(path: string, bytes = 64 * 1024): Promise<string> {
	const file = await open(path, 'r');
	try {
		const buffer = Buffer.alloc(bytes);
		const { bytesRead } = await file.read(buffer, 0, bytes, 0);
		// A cut multi-byte character at the end only costs a replacement character here.
		return buffer.toString('utf8', 0, bytesRead);
	} finally {
		await file.close();
	}
}

function looksLikeJsonl(head: string): boolean {
	return head.trimStart().startsWith('{');
}

function findPreviousImport(db: DB, sha: string) {
	return db
		.select({
			batchId: imports.batchId,
			batchName: batches.name,
			batchStatus: batches.status,
			constitutionId: imports.constitutionId,
			constitutionName: constitutions.name
		})
		.from(imports)
		.leftJoin(batches, eq(batches.id, imports.batchId))
		.innerJoin(constitutions, eq(constitutions.id, imports.constitutionId))
		.where(eq(imports.fileSha256, sha))
		.get();
}

function stripExtension(name: string): string {
	return basename(name).replace(/\.[^.]+$/, '');
}

function defaultConstitutionName(format: ImportFormat, fileName: string): string {
	if (format === 'model-spec') return 'OpenAI Model Spec';
	if (format === 'oct') return `Open Character Training: ${stripExtension(fileName)}`;
	return stripExtension(fileName);
}
