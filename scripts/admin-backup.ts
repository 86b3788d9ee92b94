// Backups from the shell, while the server runs (backup) or is stopped (restore).
//   npm run admin -- backup --out DIR
//   npm run admin -- restore DIR [--force]
// Both use DATABASE_PATH and EXPORTS_DIR, as the server does.
import { parseArgs } from 'node:util';
import {
	backupDatabase,
	dataLocations,
	restoreBackup,
	summarizeBackup
} from '../src/lib/server/backup';

const USAGE = `Usage:
  npm run admin -- backup --out DIR          a consistent copy of the database and the exports
                                             folder, with manifest.json; safe while the server runs
  npm run admin -- restore DIR [--force]     checks the backup, then restores it to DATABASE_PATH
                                             and EXPORTS_DIR; --force replaces what is there
                                             (stop the server first)`;

export function isBackupCommand(command: string | undefined): boolean {
	return command === 'backup' || command === 'restore';
}

/** Runs `backup` or `restore` with the arguments after `npm run admin --`; returns the exit code. */
export async function runBackupCommand(args: string[]): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({
			args,
			allowPositionals: true,
			options: {
				out: { type: 'string' },
				force: { type: 'boolean', default: false },
				help: { type: 'boolean', short: 'h' }
			}
		});
	} catch (e) {
		console.error(`${(e as Error).message}\n\n${USAGE}`);
		return 2;
	}
	const { positionals, values } = parsed;
	const [command, dir] = positionals;
	if (values.help) {
		console.log(USAGE);
		return 0;
	}
	const locations = dataLocations();
	const started = performance.now();
	const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
	if (command === 'backup') {
		if (!values.out || positionals.length > 1) {
			console.error(`backup takes --out DIR, and nothing else.\n\n${USAGE}`);
			return 2;
		}
		const manifest = await backupDatabase(locations, values.out);
		console.log(
			`Backed up ${locations.databasePath} to ${values.out} (${summarizeBackup(manifest)}) in ${seconds()} s.`
		);
		return 0;
	}
	if (!dir || positionals.length > 2 || values.out) {
		console.error(`restore takes the backup's folder, and optionally --force.\n\n${USAGE}`);
		return 2;
	}
	const manifest = await restoreBackup(dir, locations, { force: values.force });
	console.log(
		`Restored the backup of ${manifest.startedAt} to ${locations.databasePath} and ${locations.exportsDir} in ${seconds()} s: every file matched its SHA-256, every table its row count.`
	);
	return 0;
}
