import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { inWriteTransaction } from '../db/write';
import { join } from 'node:path';
import type { DB } from '../db';
import { exports } from '../db/schema';
import { exportsDir, isExportFileName } from './files';
import { temporaryWriter } from './staging';

/**
 * A temporary file nobody has written to for this long is left over, whoever named it: covers
 * names without a pid, and a pid that a new process has taken since.
 */
export const ABANDONED_AFTER_MS = 30 * 60_000;

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		// EPERM: the process exists but belongs to someone else.
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** A temporary file whose export will never finish: its writer is gone, or went quiet long ago. */
function isLeftOver(dir: string, name: string, now: number): boolean {
	const writer = temporaryWriter(dir, name);
	if (writer === undefined || writer === 'ours') return false;
	// Our own pid on a file we are not writing: a previous process that had the same pid.
	if (writer !== null && (writer === process.pid || !isRunning(writer))) return true;
	const stat = statSync(join(dir, name), { throwIfNoEntry: false });
	return stat !== undefined && now - stat.mtimeMs > ABANDONED_AFTER_MS;
}

/**
 * Removes what interrupted exports left in the exports folder: temporary files whose export
 * will never finish, and finished files that no record names (a crash between putting the file
 * in place and committing its record). Only names this app writes are touched. It runs under
 * the write lock, as recording an export does, so an export another process is recording is
 * seen either with its record or still under its temporary name. Returns the names removed.
 */
export function removeExportLeftovers(db: DB, dir = exportsDir(), now = Date.now()): string[] {
	if (!existsSync(dir)) return [];
	return inWriteTransaction(db, (tx) => {
		const recorded = new Set(
			tx
				.select({ fileName: exports.fileName })
				.from(exports)
				.all()
				.map((r) => r.fileName)
		);
		const removed = readdirSync(dir, { withFileTypes: true })
			.filter((entry) => entry.isFile())
			.map((entry) => entry.name)
			.filter(
				(name) => isLeftOver(dir, name, now) || (isExportFileName(name) && !recorded.has(name))
			);
		for (const name of removed) rmSync(join(dir, name), { force: true });
		return removed;
	});
}
