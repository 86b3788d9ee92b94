// The command line for leads and scripts: import files, export reviewed batches. See USAGE.
import { SingleBar, Presets } from 'cli-progress';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_PATH, openDatabase } from '../src/lib/server/db';
import { formatCount } from '../src/lib/format';
import { IMPORT_FORMAT_CHOICES } from '../src/lib/import-formats';
import {
	importFile,
	isBusy,
	type ImportProgress,
	type ImportResult
} from '../src/lib/server/imports';
import { findUserForLogin } from '../src/lib/server/users';
import { findBatchByName } from '../src/lib/server/batches';
import type { AppDB } from '../src/lib/server/db';
import { DomainError } from '../src/lib/server/errors';
import { EXPORT_FORMATS, exportOptionsSchema } from '../src/lib/server/exports/options';
import { exportsDir, runExport } from '../src/lib/server/exports/run';
import { describeDrops } from '../src/lib/server/exports/select';

const USAGE = `Usage:
  npm run cli -- import FILE [--format ${IMPORT_FORMAT_CHOICES.join('|')}] [--constitution NAME]
                             [--batch NAME] [--trait KEY] [--scale N] [--overlap N]
                             [--no-blind] [--calibration] [--as USERNAME]
  npm run cli -- export --batch NAME [--batch NAME…] --format FORMAT --out FILE
                        [--strategy best-vs-worst|best-vs-each|all-pairs] [--margin]
                        [--min-margin N] [--min-reviews N] [--min-agreement X]
                        [--keep-flagged] [--include-unlocked] [--as USERNAME]
      FORMAT: ${EXPORT_FORMATS.join(', ')}

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
		return 0;
	}
	if (result.ok) {
		console.log(
			`Imported ${formatCount(result.traits)} traits and ${formatCount(result.prompts)} prompts into constitution "${result.constitutionName}" (id ${result.constitutionId}).`
		);
		return 0;
	}
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
			as: { type: 'string' }
		}
	});
	if (!values.batch?.length || !values.format || !values.out) {
		console.error(`export needs --batch, --format and --out.\n\n${USAGE}`);
		return 2;
	}
	const db = openDatabase(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
	const actorId = actorFor(db, values.as);
	if (actorId === undefined) return 2;
	const batchIds = [];
	for (const name of values.batch) {
		const batch = findBatchByName(db, name);
		if (!batch) {
			console.error(`There is no batch named "${name}".`);
			return 2;
		}
		batchIds.push(batch.id);
	}
	const parsed = exportOptionsSchema.safeParse({
		batchIds,
		format: values.format,
		strategy: values.strategy,
		includeMargin: values.margin,
		minMargin: values['min-margin'],
		minReviews: values['min-reviews'],
		minAgreement: values['min-agreement'],
		excludeFlagged: !values['keep-flagged'],
		lockedOnly: !values['include-unlocked']
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
	await copyFile(join(exportsDir(), record.fileName), values.out);
	const dropped = describeDrops(record.itemsOut);
	console.log(
		`Export ${record.id}: ${record.rowCount} lines from ${record.itemsIn} items written to ${values.out}.`
	);
	for (const d of dropped) console.log(`  ${d.count} items left out: ${d.reason}.`);
	console.log(`SHA-256 ${record.sha256}`);
	const card = values.out.replace(/(\.[^./]+)?$/, '.card.md');
	await writeFile(card, record.card);
	console.log(`Dataset card: ${card}`);
	return 0;
}

async function main(): Promise<number> {
	const [command, ...rest] = process.argv.slice(2);
	if (command === 'import') return runImport(rest);
	if (command === 'export') return runExportCommand(rest);
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
