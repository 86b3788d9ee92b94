import type { ImportFormat } from './import-formats';

/**
 * What an import answers, in the shapes the server sends and the import page reads: one set of
 * types, so the page cannot drift from what the server really says. Client-safe.
 */

/** One problem in a file: line 0 means the file as a whole. */
export type ImportIssue = { line: number; path: string; message: string };

export type ImportProgress = {
	phase: 'checking' | 'validating' | 'writing';
	bytes: number;
	totalBytes: number;
};

export type ImportSuccess =
	| {
			ok: true;
			kind: 'batch';
			format: ImportFormat;
			batchId: number;
			batchName: string;
			constitutionId: number;
			constitutionName: string;
			items: number;
			responses: number;
			linkedPrompts: number;
			/** A batch starts as a draft, taking no reviews, unless the import opened it. */
			status?: 'draft' | 'open';
	  }
	| {
			ok: true;
			kind: 'constitution';
			format: ImportFormat;
			constitutionId: number;
			constitutionName: string;
			traits: number;
			prompts: number;
	  };

export type ImportFailureCode =
	'invalid_file' | 'already_imported' | 'file_too_large' | 'unknown_format' | 'conflict';

export type ImportFailure = {
	ok: false;
	code: ImportFailureCode;
	message: string;
	issues: ImportIssue[];
	totalIssues: number;
	existing?: { batchId: number | null; batchName: string | null; constitutionId: number };
};

export type ImportResult = ImportSuccess | ImportFailure;

/**
 * Why the upload endpoint answered without running the import: bad options, a body over the
 * size limit, or an error on our side after the reply had started.
 */
export type UploadRefusal = {
	ok: false;
	code: 'bad_request' | 'file_too_large' | 'server_error';
	message: string;
	issues: [];
	totalIssues?: never;
	existing?: never;
};

/** What the upload endpoint ends with: the import's result, or why it never ran. */
export type UploadResult = ImportResult | UploadRefusal;

/** One NDJSON line of the upload endpoint's reply: progress while it works, then the result. */
export type UploadLine =
	({ type: 'progress' } & ImportProgress) | { type: 'result'; result: UploadResult };
