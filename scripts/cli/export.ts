// npm run cli -- export and verify-export: reviewed batches to a training file, and the check
// that a stored file is still the one recorded.
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DomainError } from '../../src/lib/server/errors';
import {
	describeDrops,
	exportOptionsSchema,
	exportsDir,
	extractTar,
	isLlamaFactoryFormat,
	removeExportLeftovers,
	runExport,
	verifyExport
} from '../../src/lib/server/exports';
import { addDatasetInfo } from './dataset-info';
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
			as: { type: 'string' }
		},
		allowNegative: true
	});
	if (!values.batch?.length || !values.format || !values.out) {
		console.error(`export needs --batch, --format and --out.\n\n${USAGE}`);
		return 2;
	}
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
