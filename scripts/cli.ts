// The command line for leads and scripts: import files, export reviewed batches, report on
// them. See USAGE.
import { SingleBar, Presets } from 'cli-progress';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_PATH, openDatabase } from '../src/lib/server/db';
import { formatCount } from '../src/lib/format';
import { IMPORT_FORMAT_CHOICES } from '../src/lib/import-formats';
import type { ImportFailure } from '../src/lib/import-result';
import { parseWholeNumber } from '../src/lib/whole-number';
import {
	importFile,
	isBusy,
	type ImportProgress,
	type ImportResult
} from '../src/lib/server/imports';
import { buildReport, formatReport } from '../src/lib/server/report';
import { findUserForLogin } from '../src/lib/server/users';
import { findBatchByName } from '../src/lib/server/batches';
import { importReviews, parseReviewerMap } from '../src/lib/server/review-imports';
import type { AppDB } from '../src/lib/server/db';
import { DomainError } from '../src/lib/server/errors';
import {
	datasetInfoEntry,
	describeDrops,
	EXPORT_FORMATS,
	EXPORT_OUTPUTS,
	exportOptionsSchema,
	exportsDir,
	extractTar,
	isLlamaFactoryFormat,
	removeExportLeftovers,
	resolveBatchNames,
	runExport,
	verifyExport
} from '../src/lib/server/exports';

const USAGE = `Usage:
  npm run cli -- import FILE [--format ${IMPORT_FORMAT_CHOICES.join('|')}] [--constitution NAME]
                             [--batch NAME] [--trait KEY] [--scale N] [--overlap N]
                             [--no-blind] [--calibration] [--replace-invalid-utf8]
                             [--open] [--as USERNAME]
  npm run cli -- export --batch NAME [--batch NAME…] --format FORMAT --out FILE
                        [--strategy best-vs-worst|best-vs-each|all-pairs] [--margin]
                        [--min-margin N] [--min-reviews N] [--min-agreement X]
                        [--keep-flagged] [--include-unlocked] [--no-metadata]
                        [--separate-prompt] [--output ${EXPORT_OUTPUTS.join('|')}]
                        [--test-share X] [--seed N] [--license ID] [--as USERNAME]
      FORMAT: ${EXPORT_FORMATS.join(', ')}
      --output hf-dataset writes a Hugging Face dataset folder at FILE (or its archive, when
      FILE ends in .tar); LLaMA-Factory formats also get their entry in dataset_info.json
      beside FILE.
  npm run cli -- verify-export ID      re-reads export ID's stored file: OK, or what differs
  npm run cli -- report --batch NAME [--batch NAME…] [--json]
      the dashboard's figures for the batches (reviewers under pseudonyms), as a table, or
      with --json as the document described in the README ("Reports for scripts")
  npm run cli -- import-reviews --batch NAME [--map REVIEWER=USERNAME…] [--source NAME]
                                [--as USERNAME] FILE
      FILE is a reviews JSONL (as the reviews-jsonl export writes). Reviewers not mapped to an
      account become external reviewers, ext-SOURCE-REVIEWER, who cannot log in.

An imported batch is a draft, taking no reviews, until it is opened: --open opens it at once.
Works on DATABASE_PATH (default ${DEFAULT_DATABASE_PATH}). --as names the user the audit log records.`;

/** A progress bar on stderr that appears with the first figures it is given. */
function lazyBar(format: string) {
	const bar = new SingleBar(
		{ format, hideCursor: true, noTTYOutput: true },
		Presets.shades_classic
	);
	let started = false;
	return {
		show(total: number, value: number, payload: Record<string, string> = {}) {
			if (!started) bar.start(total, 0, payload);
			started = true;
			bar.update(value, payload);
		},
		stop() {
			bar.stop();
		}
	};
}

function importBar() {
	const bar = lazyBar(' {phase} [{bar}] {percentage}% | {value}/{total} MB');
	const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
	return {
		update: (p: ImportProgress) =>
			bar.show(mb(p.totalBytes), p.phase === 'writing' ? 0 : mb(p.bytes), {
				phase: p.phase.padEnd(10)
			}),
		stop: () => bar.stop()
	};
}

function report(result: ImportResult): number {
	if (result.ok && result.kind === 'batch') {
		console.log(
			`Imported ${formatCount(result.items)} items with ${formatCount(result.responses)} responses into batch "${result.batchName}" (id ${result.batchId}), constitution "${result.constitutionName}".`
		);
		if (result.linkedPrompts)
			console.log(
				`${formatCount(result.linkedPrompts)} items answer prompts that were waiting for responses.`
			);
		console.log(
			result.status === 'open'
				? 'The batch is open for review.'
				: 'The batch is a draft: it takes no reviews until it is opened (Open for review on its page, or import with --open).'
		);
		return 0;
	}
	if (result.ok) {
		console.log(
			`Imported ${formatCount(result.traits)} traits and ${formatCount(result.prompts)} prompts into constitution "${result.constitutionName}" (id ${result.constitutionId}).`
		);
		return 0;
	}
	return reportIssues(result);
}

/** A refused import's message and its issues, each with its line and field; exit code 1. */
function reportIssues(result: ImportFailure): number {
	console.error(result.message);
	for (const issue of result.issues) {
		const where = [issue.line ? `line ${issue.line}` : '', issue.path].filter(Boolean).join(', ');
		console.error(`  ${where ? `${where}: ` : ''}${issue.message}`);
	}
	if (result.totalIssues > result.issues.length) {
		console.error(`  … and ${formatCount(result.totalIssues - result.issues.length)} more.`);
	}
	return 1;
}

async function runImport(args: string[]): Promise<number> {
	const { positionals, values } = parseArgs({
		args,
		allowPositionals: true,
		allowNegative: true,
		options: {
			format: { type: 'string', default: 'auto' },
			constitution: { type: 'string' },
			batch: { type: 'string' },
			trait: { type: 'string' },
			scale: { type: 'string' },
			overlap: { type: 'string' },
			blind: { type: 'boolean', default: true },
			calibration: { type: 'boolean', default: false },
			'replace-invalid-utf8': { type: 'boolean', default: false },
			open: { type: 'boolean', default: false },
			as: { type: 'string' }
		}
	});
	const file = positionals[0];
	if (!file) {
		console.error(USAGE);
		return 2;
	}
	const format = IMPORT_FORMAT_CHOICES.find((f) => f === values.format);
	if (!format) {
		console.error(`--format must be one of ${IMPORT_FORMAT_CHOICES.join(', ')}.`);
		return 2;
	}
	// Digits only: Number() would take "0x10" for 16. The import checks the range.
	const counts = { scale: values.scale, overlap: values.overlap };
	for (const [name, value] of Object.entries(counts)) {
		if (value !== undefined && parseWholeNumber(value) === null) {
			console.error(`--${name} must be a whole number written with the digits 0–9.`);
			return 2;
		}
	}
	const db = openDatabase(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
	const actorId = actorFor(db, values.as);
	if (actorId === undefined) return 2;
	const bar = importBar();
	let result: ImportResult;
	try {
		result = await importFile(db, file, {
			actorId,
			format,
			constitution: values.constitution,
			batch: values.batch,
			traitKey: values.trait,
			replaceInvalidUtf8: values['replace-invalid-utf8'],
			open: values.open,
			settings: {
				blind: values.blind,
				calibration: values.calibration,
				...(values.scale !== undefined && { scalePoints: Number(values.scale) }),
				...(values.overlap !== undefined && { overlap: Number(values.overlap) })
			},
			onProgress: (p) => bar.update(p)
		});
	} catch (e) {
		// Each chunk waits its turn for minutes before it gives up; say so rather than crash.
		if (!isBusy(e)) throw e;
		bar.stop();
		console.error('Another process kept the database busy for minutes. Nothing was imported.');
		return 1;
	} finally {
		bar.stop();
	}
	return report(result);
}

/** The user --as names (null when absent), or undefined after saying there is no such user. */
function actorFor(db: AppDB, username: string | undefined): number | null | undefined {
	if (!username) return null;
	const user = findUserForLogin(db, username);
	if (!user) console.error(`There is no user "${username}".`);
	return user?.id;
}

/** The batches --batch names, or undefined after saying which name matches none. */
function batchIdsFor(db: AppDB, names: string[]): number[] | undefined {
	try {
		return resolveBatchNames(db, names);
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		console.error(e.message);
		return undefined;
	}
}

async function runExportCommand(args: string[]): Promise<number> {
	const { values } = parseArgs({
		args,
		options: {
			batch: { type: 'string', multiple: true },
			format: { type: 'string' },
			out: { type: 'string' },
			strategy: { type: 'string' },
			margin: { type: 'boolean', default: false },
			'min-margin': { type: 'string' },
			'min-reviews': { type: 'string' },
			'min-agreement': { type: 'string' },
			'keep-flagged': { type: 'boolean', default: false },
			'include-unlocked': { type: 'boolean', default: false },
			metadata: { type: 'boolean' },
			'separate-prompt': { type: 'boolean', default: false },
			output: { type: 'string' },
			'test-share': { type: 'string' },
			seed: { type: 'string' },
			license: { type: 'string' },
			as: { type: 'string' }
		},
		allowNegative: true
	});
	if (!values.batch?.length || !values.format || !values.out) {
		console.error(`export needs --batch, --format and --out.\n\n${USAGE}`);
		return 2;
	}
	const db = openDatabase(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
	removeExportLeftovers(db);
	const actorId = actorFor(db, values.as);
	if (actorId === undefined) return 2;
	const batchIds = batchIdsFor(db, values.batch);
	if (!batchIds) return 2;
	const parsed = exportOptionsSchema.safeParse({
		batchIds,
		format: values.format,
		strategy: values.strategy,
		includeMargin: values.margin,
		minMargin: values['min-margin'],
		minReviews: values['min-reviews'],
		minAgreement: values['min-agreement'],
		excludeFlagged: !values['keep-flagged'],
		lockedOnly: !values['include-unlocked'],
		includeMetadata: values.metadata,
		separatePrompt: values['separate-prompt'],
		output: values.output,
		testShare: values['test-share'],
		seed: values.seed,
		license: values.license
	});
	if (!parsed.success) {
		for (const issue of parsed.error.issues)
			console.error(`${issue.path.join('.')}: ${issue.message}`);
		return 2;
	}
	const bar = lazyBar(' exporting [{bar}] {percentage}% | {value}/{total} items');
	let record;
	try {
		record = await runExport(db, actorId, parsed.data, {
			onProgress: (p) => bar.show(p.totalItems, p.items)
		});
	} catch (e) {
		if (e instanceof DomainError) {
			const hint = e.field === 'lockedOnly' ? ' (--include-unlocked includes them.)' : '';
			console.error(e.message + hint);
			return 1;
		}
		throw e;
	} finally {
		bar.stop();
	}
	const stored = join(exportsDir(), record.fileName);
	const folder = parsed.data.output === 'hf-dataset' && !values.out.endsWith('.tar');
	if (folder) await extractTar(stored, values.out);
	else await copyFile(stored, values.out);
	if (parsed.data.output === 'file' && isLlamaFactoryFormat(parsed.data.format)) {
		console.log(`LLaMA-Factory entry: ${await addDatasetInfo(values.out, parsed.data.format)}`);
	}
	const dropped = describeDrops(record.itemsOut);
	console.log(
		`Export ${record.id}: ${record.rowCount} lines from ${record.itemsIn} items written to ${folder ? 'the folder ' : ''}${values.out}.`
	);
	for (const d of dropped) console.log(`  ${d.count} items left out: ${d.reason}.`);
	console.log(`SHA-256 ${record.sha256}`);
	const card = values.out.replace(/(\.[^./]+)?$/, '.card.md');
	await writeFile(card, record.card);
	console.log(`Dataset card: ${card}`);
	return 0;
}

/**
 * Adds the file's entry to the dataset_info.json beside it, keeping the entries already there:
 * LLaMA-Factory reads every dataset of its data folder from that one file. Returns the name.
 */
async function addDatasetInfo(out: string, format: (typeof EXPORT_FORMATS)[number]) {
	const path = join(dirname(out), 'dataset_info.json');
	let entries: Record<string, unknown> = {};
	try {
		entries = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') entries = {};
		else return `not added: ${path} is not a JSON object we can read (${(e as Error).message})`;
	}
	const name = basename(out).replace(/\.[^.]+$/, '');
	entries[name] = datasetInfoEntry(format, basename(out));
	await writeFile(path, JSON.stringify(entries, null, 2) + '\n');
	return `"${name}" in ${path}`;
}

async function runImportReviews(args: string[]): Promise<number> {
	const { positionals, values } = parseArgs({
		args,
		allowPositionals: true,
		options: {
			batch: { type: 'string' },
			map: { type: 'string', multiple: true },
			source: { type: 'string' },
			as: { type: 'string' }
		}
	});
	const file = positionals[0];
	if (!file || !values.batch) {
		console.error(`import-reviews needs --batch and a file.\n\n${USAGE}`);
		return 2;
	}
	const db = openDatabase(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
	const actorId = actorFor(db, values.as);
	if (actorId === undefined) return 2;
	const batch = findBatchByName(db, values.batch);
	if (!batch) {
		console.error(`There is no batch "${values.batch}".`);
		return 2;
	}
	let result;
	try {
		result = await importReviews(db, file, {
			batchId: batch.id,
			actorId,
			map: parseReviewerMap(values.map ?? []),
			source: values.source,
			fileName: basename(file)
		});
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		console.error(e.message);
		return e.field === 'map' ? 2 : 1;
	}
	if (!result.ok) return reportIssues(result);
	console.log(
		`Imported ${formatCount(result.reviews)} reviews of ${formatCount(result.items)} items into batch "${result.batchName}" (id ${result.batchId}).`
	);
	for (const r of result.reviewers) {
		const as = r.external
			? `external reviewer ${r.username}${r.created ? ' (new)' : ''}`
			: r.username;
		console.log(`  ${r.name} → ${as}`);
	}
	return 0;
}

async function runVerifyCommand(args: string[]): Promise<number> {
	const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
	const id = Number(positionals[0]);
	if (positionals.length !== 1 || !Number.isInteger(id) || id <= 0) {
		console.error(`verify-export needs one export id.\n\n${USAGE}`);
		return 2;
	}
	const db = openDatabase(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
	const check = await verifyExport(db, id);
	if (!check) {
		console.error(`There is no export ${id}.`);
		return 2;
	}
	if (check.problems.length === 0) {
		console.log(`OK: export ${id}'s file ${check.fileName} is as recorded.`);
		return 0;
	}
	console.error(`Export ${id}'s file ${check.fileName} differs from its record:`);
	for (const problem of check.problems) console.error(`  ${problem}`);
	return 1;
}

async function runReportCommand(args: string[]): Promise<number> {
	const { values } = parseArgs({
		args,
		options: {
			batch: { type: 'string', multiple: true },
			json: { type: 'boolean', default: false }
		}
	});
	if (!values.batch?.length) {
		console.error(`report needs --batch.\n\n${USAGE}`);
		return 2;
	}
	const db = openDatabase(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
	const batchIds = batchIdsFor(db, values.batch);
	if (!batchIds) return 2;
	// The command line shows what a lead sees: files and logs leave the tool, usernames should not.
	const report = await buildReport(db, batchIds, { showNames: false });
	console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
	return 0;
}

async function main(): Promise<number> {
	const [command, ...rest] = process.argv.slice(2);
	if (command === 'import') return runImport(rest);
	if (command === 'export') return runExportCommand(rest);
	if (command === 'verify-export') return runVerifyCommand(rest);
	if (command === 'report') return runReportCommand(rest);
	if (command === 'import-reviews') return runImportReviews(rest);
	console.error(command ? `Unknown command "${command}".\n\n${USAGE}` : USAGE);
	return 2;
}

main().then(
	(code) => process.exit(code),
	(e: unknown) => {
		if (e instanceof Error && 'code' in e && e.code === 'ENOENT') {
			console.error(`No such file: ${(e as Error & { path?: string }).path ?? ''}`);
			process.exit(2);
		}
		if (e instanceof TypeError && String(e.message).includes('Unknown option')) {
			console.error(`${e.message}\n\n${USAGE}`);
			process.exit(2);
		}
		throw e;
	}
);
