// npm run cli -- report: the dashboard's figures for scripts.
import { parseArgs } from 'node:util';
import { buildReport, formatReport } from '../../src/lib/server/report';
import { batchIdsFor, openCliDatabase } from './shared';
import { USAGE } from './usage';

export async function runReportCommand(args: string[]): Promise<number> {
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
	const db = openCliDatabase();
	const batchIds = batchIdsFor(db, values.batch);
	if (!batchIds) return 2;
	// The command line shows what a lead sees: files and logs leave the tool, usernames should not.
	const report = await buildReport(db, batchIds, { showNames: false });
	console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
	return 0;
}
