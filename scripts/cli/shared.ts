// What the commands share: the database they work on, the users and batches their options
// name, a progress bar, and how a refused file's problems are printed.
import { SingleBar, Presets } from 'cli-progress';
import { DEFAULT_DATABASE_PATH, openDatabase, type AppDB } from '../../src/lib/server/db';
import { DomainError } from '../../src/lib/server/errors';
import { resolveBatchNames } from '../../src/lib/server/exports';
import { formatCount } from '../../src/lib/format';
import type { ImportFailure } from '../../src/lib/import-result';
import { findUserForLogin } from '../../src/lib/server/users';

export function openCliDatabase(): AppDB {
	return openDatabase(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
}

/** The user --as names (null when absent), or undefined after saying there is no such user. */
export function actorFor(db: AppDB, username: string | undefined): number | null | undefined {
	if (!username) return null;
	const user = findUserForLogin(db, username);
	if (!user) console.error(`There is no user "${username}".`);
	return user?.id;
}

/** The batches --batch names, or undefined after saying which name matches none. */
export function batchIdsFor(db: AppDB, names: string[]): number[] | undefined {
	try {
		return resolveBatchNames(db, names);
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		console.error(e.message);
		return undefined;
	}
}

/** A progress bar on stderr that appears with the first figures it is given. */
export function lazyBar(format: string) {
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

/** A refused import's message and its issues, each with its line and field; exit code 1. */
export function reportIssues(result: ImportFailure): number {
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
