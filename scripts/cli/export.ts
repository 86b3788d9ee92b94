// npm run cli -- export and verify-export: reviewed batches to a training file, and the check
// that a stored file is still the one recorded.
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { CONTENT_CHECKS } from '../../src/lib/export-options';
import { DomainError } from '../../src/lib/server/errors';
import {
	exportOptionsSchema,
	exportsDir,
	extractTar,
	isLlamaFactoryFormat,
	removeExportLeftovers,
	runExport,
	verifyExport
} from '../../src/lib/server/exports';
import { addDatasetInfo } from './dataset-info';
import { printExportSummary } from './export-summary';
import { actorFor, batchIdsFor, lazyBar, openCliDatabase } from './shared';
import { USAGE } from './usage';

export async function runExportCommand(args: string[]): Promise<number> {
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
			'include-gold': { type: 'boolean', default: false },
			rationale: { type: 'boolean', default: false },
			check: { type: 'string', multiple: true },
			pairing: { type: 'string' },
			as: { type: 'string' }
		},
		allowNegative: true
	});
	if (!values.batch?.length || !values.format || !values.out) {
		console.error(`export needs --batch, --format and --out.\n\n${USAGE}`);
		return 2;
	}
	const checks = checkActions(values.check ?? []);
	if (!checks) return 2;
	const db = openCliDatabase();
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
		license: values.license,
		includeGold: values['include-gold'],
		rationale: values.rationale,
		checks,
		pairing: values.pairing
	});
	if (!parsed.success) {
		for (const issue of parsed.error.issues) console.error(describeIssue(issue));
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
	printExportSummary(record, values.out, folder);
	const card = values.out.replace(/(\.[^./]+)?$/, '.card.md');
	await writeFile(card, record.card);
	console.log(`Dataset card: ${card}`);
	return 0;
}

/**
 * Each `--check NAME=ACTION` as the options' `checks` object, the last one winning for a name
 * given twice; undefined after saying which is not NAME=ACTION. Names and actions are left to
 * the export's own options schema to judge, as the API's are.
 */
function checkActions(flags: string[]): Record<string, string> | undefined {
	const checks: Record<string, string> = {};
	for (const flag of flags) {
		const at = flag.indexOf('=');
		if (at <= 0) {
			console.error(`--check takes NAME=drop or NAME=keep (such as empty=keep), not "${flag}".`);
			return undefined;
		}
		checks[flag.slice(0, at)] = flag.slice(at + 1);
	}
	return checks;
}

/** An option the schema refused; a check name it does not know comes with the ones it does. */
function describeIssue(issue: z.core.$ZodIssue): string {
	const where = issue.path.join('.');
	if (issue.code === 'unrecognized_keys' && where === 'checks') {
		return `--check: there is no check ${issue.keys.map((k) => `"${k}"`).join(', ')}; the checks are ${CONTENT_CHECKS.join(', ')}.`;
	}
	return `${where}: ${issue.message}`;
}

export async function runVerifyCommand(args: string[]): Promise<number> {
	const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
	const id = Number(positionals[0]);
	if (positionals.length !== 1 || !Number.isInteger(id) || id <= 0) {
		console.error(`verify-export needs one export id.\n\n${USAGE}`);
		return 2;
	}
	const db = openCliDatabase();
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
