// The command line for leads and scripts: import files, export reviewed batches, report on
// them. See USAGE; each command group lives in scripts/cli/.
import { runExportCommand, runVerifyCommand } from './cli/export';
import { runImport } from './cli/import';
import { runImportReviews } from './cli/import-reviews';
import { runReportCommand } from './cli/report';
import { USAGE } from './cli/usage';

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
