import { createReadStream } from 'node:fs';
import { formatCount } from '$lib/format';
import type { ImportFailure, ImportIssue } from '$lib/import-result';
import type { AppDB } from '../db';
import { failure, invalidFile } from '../imports/issues';
import { configuredLimits } from '../imports/limits';
import { readLines, readLinesSync } from '../imports/lines';
import type { ReviewerMap } from './reviewers';
import { ImportSession, type SessionOptions } from './session';
import { requireReviewableBatch } from './target';

export type ReviewImportOptions = {
	batchId: number;
	actorId: number | null;
	map?: ReviewerMap;
	/** Names external reviewers `ext-<source>-…`; by default the batch the file came from. */
	source?: string;
	/** For the audit log. */
	fileName?: string;
	now?: Date;
};

export type ImportedReviewer = {
	name: string;
	username: string;
	external: boolean;
	created: boolean;
};

export type ReviewImportSuccess = {
	ok: true;
	batchId: number;
	batchName: string;
	reviews: number;
	items: number;
	reviewers: ImportedReviewer[];
};

export type ReviewImportResult = ReviewImportSuccess | ImportFailure;

/** Thrown inside the write transaction to undo it when a line no longer passes. */
class ChangedMeanwhile extends Error {
	constructor(readonly issues: ImportIssue[]) {
		super('changed meanwhile');
	}
}

/**
 * Imports a reviews JSONL onto a batch, all or nothing. The file is checked as a stream first
 * (nothing written, every problem with its line and field); then read again inside one
 * immediate transaction that checks each line once more and writes it. A reviews file holds
 * no prompts or responses, so even a large one is a short write: one transaction keeps it
 * simple. A batch that changed between the passes (another import, a submit filling an item)
 * undoes the write and is answered as a conflict.
 */
export async function importReviews(
	db: AppDB,
	path: string,
	options: ReviewImportOptions
): Promise<ReviewImportResult> {
	const limits = configuredLimits();
	const now = options.now ?? new Date();
	const session = (write: boolean) => {
		const batch = requireReviewableBatch(db, options.batchId);
		const sessionOptions: SessionOptions = {
			...options,
			batch,
			map: options.map ?? new Map(),
			now
		};
		return new ImportSession(db, sessionOptions, write);
	};

	const check = session(false);
	for await (const entry of readLines(createReadStream(path), limits)) check.take(entry);
	check.finish();
	if (check.issues.total) return invalidFile(check.issues.kept, check.issues.total);

	try {
		return db.$client
			.transaction((): ReviewImportSuccess => {
				const writer = session(true);
				for (const entry of readLinesSync(path, limits)) writer.take(entry);
				writer.finish();
				if (writer.issues.total) throw new ChangedMeanwhile(writer.issues.kept);
				writer.complete(options.fileName ?? null);
				return {
					ok: true,
					batchId: options.batchId,
					batchName: check.batchName,
					reviews: writer.reviews,
					items: writer.itemCount(),
					reviewers: writer.reviewers().map(({ name, username, external, created }) => ({
						name,
						username,
						external,
						created
					}))
				};
			})
			.immediate();
	} catch (e) {
		if (!(e instanceof ChangedMeanwhile)) throw e;
		const n = formatCount(e.issues.length);
		return failure(
			'conflict',
			`The batch changed while the file was checked (${n} lines no longer fit). Nothing was imported; try again.`,
			e.issues
		);
	}
}
