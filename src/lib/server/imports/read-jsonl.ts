import { createReadStream } from 'node:fs';
import type { ImportFailure, ImportIssue, ImportResult } from '$lib/import-result';
import { findConstitutionByName } from '../catalog';
import { isUniqueViolation } from '../db/unique-violation';
import {
	batchNameTaken,
	checkTraitsExist,
	constitutionNameIssue,
	isBatchNameTaken
} from './checks';
import { TraitRefused } from './ensure-traits';
import { IdIndex } from './id-index';
import { failure, IssueList, invalidFile } from './issues';
import { readLineBatches, readLinesSync, type LineEntry } from './lines';
import { parseNativeLine } from './parsers/native';
import { traitKeyProblem } from './parsers/trait-checks';
import { parseTrlLine } from './parsers/trl';
import type { ParsedItem, ReadRules, ReportProgress } from './types';
import { itemExternalId, writeBatch, type CheckContext, type CheckedFile } from './writer';

type ParseLine = (text: string, line: number) => ReturnType<typeof parseNativeLine>;

/** Thrown by the single pass at the first line that is not clean: the full check takes over. */
class LineProblem extends Error {}

/** How often, in bytes read, the write reports its progress. */
const PROGRESS_EVERY_BYTES = 1 << 20;

/**
 * Native and TRL JSONL, read once when the file is clean: every line is validated as it is
 * written, in chunks, into a batch nobody sees until the last chunk commits (writer.ts). A file
 * of a million items is parsed once, not twice, and no index of its ids is held: the database's
 * unique index on (batch, id) finds a repeated id.
 *
 * At the first line that is not clean (a bad line, a repeated id, a trait the constitution does
 * not take, no items at all), the write stops and its batch is removed, and the file is read
 * again by the full check, which reports every problem in it, as before anything is written
 * when a check that needs no line fails (the batch's name, the constitution's, the TRL trait).
 * Neither pass holds more than a line, so a file of gigabytes costs little memory.
 */
export async function checkJsonl(
	ctx: CheckContext,
	path: string,
	limits: ReadRules,
	trlTraitKey: string,
	progress: ReportProgress
): Promise<CheckedFile> {
	const parseLine: ParseLine = (text, line) =>
		ctx.format === 'trl'
			? parseTrlLine(text, line, trlTraitKey, limits)
			: parseNativeLine(text, line, limits);
	const before = issuesBeforeLines(ctx, trlTraitKey);
	const fullCheck = () => checkAllLines(ctx, path, limits, parseLine, progress, before);
	const problem = Object.values(before).find((issue) => issue !== null);
	if (problem) return (await fullCheck()) ?? invalidFile([problem]);

	return {
		write: async (sha): Promise<ImportResult> => {
			progress('writing', 0);
			try {
				return await writeBatch({ ...ctx, sha }, [], cleanItems(path, limits, parseLine, progress));
			} catch (e) {
				const unclean =
					e instanceof LineProblem ||
					e instanceof TraitRefused ||
					isUniqueViolation(e, 'items.batch_id, items.external_id');
				if (!unclean) throw e;
				// Clean after all: what stopped the write changed meanwhile (a trait archived).
				return (
					(await fullCheck()) ??
					failure('conflict', `${(e as Error).message} Nothing was imported; try again.`)
				);
			}
		}
	};
}

/** The file's items, validated as they are read; the first unclean line ends the pass. */
function* cleanItems(
	path: string,
	limits: ReadRules,
	parseLine: ParseLine,
	progress: ReportProgress
): Generator<ParsedItem> {
	let reported = 0;
	const onRead = (bytes: number) => {
		if (bytes - reported < PROGRESS_EVERY_BYTES) return;
		reported = bytes;
		progress('writing', bytes);
	};
	let count = 0;
	for (const entry of readLinesSync(path, limits, undefined, onRead)) {
		if ('error' in entry) throw new LineProblem(`Line ${entry.line} is not valid.`);
		const { item, issues } = parseLine(entry.text, entry.line);
		if (!item || issues.length) throw new LineProblem(`Line ${entry.line} is not valid.`);
		count += 1;
		yield item;
	}
	if (count === 0) throw new LineProblem('The file has no items.');
}

/** What can be wrong before any line is read: the TRL trait, and the names the import takes. */
type BeforeLines = Record<'trait' | 'constitution' | 'batch', ImportIssue | null>;

function issuesBeforeLines(ctx: CheckContext, trlTraitKey: string): BeforeLines {
	const keyProblem = ctx.format === 'trl' ? traitKeyProblem(trlTraitKey) : null;
	return {
		trait: keyProblem ? { line: 0, path: 'trait', message: `The trait ${keyProblem}` } : null,
		constitution: constitutionNameIssue(ctx.db, ctx.constitutionName),
		batch: isBatchNameTaken(ctx.db, ctx.batchName)
			? { line: 0, path: 'batch', message: batchNameTaken(ctx.batchName) }
			: null
	};
}

/**
 * Every line validated as the file streams past, writing nothing: the report of every problem
 * in the file, or null when there is none.
 */
async function checkAllLines(
	ctx: CheckContext,
	path: string,
	limits: ReadRules,
	parseLine: ParseLine,
	progress: ReportProgress,
	before: BeforeLines
): Promise<ImportFailure | null> {
	const issues = new IssueList();
	const ids = new IdIndex();
	const traitKeys = new Set<string>();
	let itemCount = 0;
	if (before.trait) issues.add(before.trait);

	const checkLine = (entry: LineEntry): void => {
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
	};

	progress('validating', 0);
	const file = createReadStream(path);
	// A chunk's lines at a time: one await per chunk rather than per line.
	for await (const batch of readLineBatches(file, limits)) {
		if (ctx.abandoned()) break;
		progress('validating', file.bytesRead);
		for (const entry of batch) checkLine(entry);
	}

	const existing = findConstitutionByName(ctx.db, ctx.constitutionName);
	if (existing) checkTraitsExist(ctx.db, existing.id, ctx.constitutionName, traitKeys, issues);
	if (before.constitution) issues.add(before.constitution);
	if (itemCount === 0 && issues.total === 0) {
		issues.add({ line: 0, path: '', message: 'The file has no items.' });
	}
	if (before.batch) issues.add(before.batch);
	return issues.total ? invalidFile(issues.kept, issues.total) : null;
}
