// npm run cli -- import: a batch or constitution file into the database.
import { parseArgs } from 'node:util';
import { formatCount } from '../../src/lib/format';
import { IMPORT_FORMAT_CHOICES } from '../../src/lib/import-formats';
import { parseWholeNumber } from '../../src/lib/whole-number';
import {
	importFile,
	isBusy,
	type ImportProgress,
	type ImportResult
} from '../../src/lib/server/imports';
import { actorFor, lazyBar, openCliDatabase, reportIssues } from './shared';
import { USAGE } from './usage';

function importBar() {
	const bar = lazyBar(' {phase} [{bar}] {percentage}% | {value}/{total} MB');
	const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
	return {
		update: (p: ImportProgress) =>
			bar.show(mb(p.totalBytes), mb(p.bytes), {
				phase: p.phase.padEnd(10)
			}),
		stop: () => bar.stop()
	};
}

function reportImport(result: ImportResult): number {
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

export async function runImport(args: string[]): Promise<number> {
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
	const db = openCliDatabase();
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
	return reportImport(result);
}
