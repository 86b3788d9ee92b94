import { createReadStream } from 'node:fs';
import { findConstitutionByName } from '../catalog';
import {
	batchNameTaken,
	checkTraitsExist,
	constitutionNameIssue,
	isBatchNameTaken
} from './checks';
import { IdIndex } from './id-index';
import { IssueList, invalidFile } from './issues';
import { readLineBatches, readLinesSync, type LineEntry } from './lines';
import { parseNativeLine } from './parsers/native';
import { traitKeyProblem } from './parsers/trait-checks';
import { parseTrlLine } from './parsers/trl';
import type { ReadRules, ReportProgress } from './types';
import { itemExternalId, writeBatch, type CheckContext, type CheckedFile } from './writer';

/**
 * Native and TRL JSONL: every line is validated as the file streams past, then, if all is well,
 * the file is read a second time inside the transaction and written. Neither pass holds more
 * than a line, so a file of hundreds of megabytes costs little memory.
 */
export async function checkJsonl(
	ctx: CheckContext,
	path: string,
	limits: ReadRules,
	trlTraitKey: string,
	progress: ReportProgress
): Promise<CheckedFile> {
	const issues = new IssueList();
	// Let go of once the check is done: the write below closes over this scope, and the index of
	// a million ids holds about 57 MB, which the write phase would otherwise carry to its end.
	let seenIds: IdIndex | undefined = new IdIndex();
	const traitKeys = new Set<string>();
	let itemCount = 0;
	const keyProblem = ctx.format === 'trl' ? traitKeyProblem(trlTraitKey) : null;
	if (keyProblem) issues.add({ line: 0, path: 'trait', message: `The trait ${keyProblem}` });

	const parseLine = (text: string, line: number) =>
		ctx.format === 'trl'
			? parseTrlLine(text, line, trlTraitKey, limits)
			: parseNativeLine(text, line, limits);

	const file = createReadStream(path);
	// A chunk's lines at a time: one await per chunk rather than per line.
	for await (const batch of readLineBatches(file, limits)) {
		if (ctx.abandoned()) break;
		progress('validating', file.bytesRead);
		for (const entry of batch) checkLine(entry, seenIds);
	}
	seenIds = undefined;

	function checkLine(entry: LineEntry, ids: IdIndex): void {
		if ('error' in entry) {
			issues.add({ line: entry.line, path: '', message: entry.error });
			return;
		}
		const { item, issues: lineIssues } = parseLine(entry.text, entry.line);
		issues.addAll(lineIssues);
		if (!item) return;
		itemCount += 1;
		traitKeys.add(item.traitKey);
		const id = itemExternalId(item);
		const first = ids.get(id);
		if (first !== undefined) {
			issues.add({
				line: entry.line,
				path: 'id',
				message: `The id "${id}" is also used on line ${first}; ids must be unique in a file.`
			});
		} else {
			ids.set(id, entry.line);
		}
	}

	const existing = findConstitutionByName(ctx.db, ctx.constitutionName);
	if (existing) checkTraitsExist(ctx.db, existing.id, ctx.constitutionName, traitKeys, issues);
	const nameIssue = constitutionNameIssue(ctx.db, ctx.constitutionName);
	if (nameIssue) issues.add(nameIssue);
	if (itemCount === 0 && issues.total === 0) {
		issues.add({ line: 0, path: '', message: 'The file has no items.' });
	}
	if (isBatchNameTaken(ctx.db, ctx.batchName)) {
		issues.add({ line: 0, path: 'batch', message: batchNameTaken(ctx.batchName) });
	}
	if (issues.total) return invalidFile(issues.kept, issues.total);

	return {
		write: (sha) => {
			progress('writing', 0);
			return writeBatch(
				{ ...ctx, sha },
				[...traitKeys].map((key) => ({ key, title: key, description: '' })),
				(function* () {
					for (const entry of readLinesSync(path, limits)) {
						// Validated above; a line that now fails means the file changed underneath us.
						const { item } = 'error' in entry ? {} : parseLine(entry.text, entry.line);
						if (!item) throw new Error(`Line ${entry.line} changed while it was being imported.`);
						yield item;
					}
				})()
			);
		}
	};
}
