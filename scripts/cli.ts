// The command line for leads and scripts:
//   npm run cli -- import FILE [--format auto|native|trl|oct|model-spec] [--constitution NAME]
//                             [--batch NAME] [--trait KEY] [--scale N] [--overlap N]
//                             [--no-blind] [--calibration] [--as USERNAME]
import { SingleBar, Presets } from 'cli-progress';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_PATH, openDatabase } from '../src/lib/server/db';
import { importFile, type ImportProgress, type ImportResult } from '../src/lib/server/imports';
import { findUserForLogin } from '../src/lib/server/users';

const USAGE = `Usage:
  npm run cli -- import FILE [--format auto|native|trl|oct|model-spec] [--constitution NAME]
                             [--batch NAME] [--trait KEY] [--scale N] [--overlap N]
                             [--no-blind] [--calibration] [--as USERNAME]

Works on DATABASE_PATH (default ${DEFAULT_DATABASE_PATH}). --as names the user the audit log records.`;

const FORMATS = ['auto', 'native', 'trl', 'oct', 'model-spec'] as const;

function progressBar() {
	const bar = new SingleBar(
		{
			format: ' {phase} [{bar}] {percentage}% | {value}/{total} MB',
			hideCursor: true,
			noTTYOutput: true
		},
		Presets.shades_classic
	);
	let started = false;
	return {
		update(p: ImportProgress) {
			const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
			if (!started) {
				bar.start(mb(p.totalBytes), 0, { phase: p.phase });
				started = true;
			}
			bar.update(p.phase === 'writing' ? 0 : mb(p.bytes), { phase: p.phase.padEnd(10) });
		},
		stop() {
			if (started) bar.stop();
		}
	};
}

function report(result: ImportResult): number {
	if (result.ok && result.kind === 'batch') {
		console.log(
			`Imported ${result.items} items with ${result.responses} responses into batch "${result.batchName}" (id ${result.batchId}), constitution "${result.constitutionName}".`
		);
		if (result.linkedPrompts)
			console.log(`${result.linkedPrompts} items answer prompts that were waiting for responses.`);
		return 0;
	}
	if (result.ok) {
		console.log(
			`Imported ${result.traits} traits and ${result.prompts} prompts into constitution "${result.constitutionName}" (id ${result.constitutionId}).`
		);
		return 0;
	}
	console.error(result.message);
	for (const issue of result.issues) {
		const where = [issue.line ? `line ${issue.line}` : '', issue.path].filter(Boolean).join(', ');
		console.error(`  ${where ? `${where}: ` : ''}${issue.message}`);
	}
	if (result.totalIssues > result.issues.length) {
		console.error(`  … and ${result.totalIssues - result.issues.length} more.`);
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
	if (!FORMATS.includes(values.format as (typeof FORMATS)[number])) {
		console.error(`--format must be one of ${FORMATS.join(', ')}.`);
		return 2;
	}
	const db = openDatabase(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
	let actorId: number | null = null;
	if (values.as) {
		const user = findUserForLogin(db, values.as);
		if (!user) {
			console.error(`There is no user "${values.as}".`);
			return 2;
		}
		actorId = user.id;
	}
	const bar = progressBar();
	let result: ImportResult;
	try {
		result = await importFile(db, file, {
			actorId,
			format: values.format as (typeof FORMATS)[number],
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
	} finally {
		bar.stop();
	}
	return report(result);
}

async function main(): Promise<number> {
	const [command, ...rest] = process.argv.slice(2);
	if (command === 'import') return runImport(rest);
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
