import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DomainError } from '../errors';
import { copyFiles, syncToDisk } from './files';
import { databaseExists, databaseFiles, isInside, type DataLocations } from './locations';
import {
	compareCounts,
	DATABASE_FILE,
	EXPORTS_FOLDER,
	readManifest,
	verifyFiles,
	type Manifest
} from './manifest';
import { inspectCopy } from './snapshot';

async function hasEntries(folder: string): Promise<boolean> {
	try {
		return (await readdir(folder)).length > 0;
	} catch {
		return false;
	}
}

/**
 * Brings a backup back: checks every file against the manifest, then restores the exports
 * folder and the database to `target`. Without `force` the target must be empty (no database
 * file, no exports); with it, what is there is replaced. Stop the server first.
 *
 * The database is copied beside its target under a temporary name and checked there (SQLite's
 * integrity check, the manifest's row counts) before it takes the target's name, last.
 */
export async function restoreBackup(
	dir: string,
	target: DataLocations,
	options: { force?: boolean } = {}
): Promise<Manifest> {
	const manifest = await readManifest(dir);
	const damaged = await verifyFiles(dir, manifest);
	if (damaged.length > 0) {
		throw new DomainError(
			`The backup in ${dir} does not match its manifest, so nothing was restored:\n  ${damaged.join('\n  ')}`
		);
	}
	if (isInside(target.databasePath, target.exportsDir)) {
		throw new DomainError(
			`The database (${target.databasePath}) is inside the exports folder (${target.exportsDir}): set EXPORTS_DIR to a folder of its own.`
		);
	}
	const occupied = [
		databaseExists(target.databasePath) ? `a database at ${target.databasePath}` : null,
		(await hasEntries(target.exportsDir)) ? `files in ${target.exportsDir}` : null
	].filter((found) => found !== null);
	if (occupied.length > 0 && !options.force) {
		throw new DomainError(
			`Restoring would replace what is already there (${occupied.join(', ')}): stop the server, then restore again with --force.`,
			undefined,
			409
		);
	}

	await mkdir(dirname(target.databasePath), { recursive: true });
	const staging = `${target.databasePath}.restoring`;
	await copyFile(join(dir, DATABASE_FILE), staging);
	const { counts, integrity } = await inspectCopy(staging);
	const problems = [
		...(integrity === 'ok' ? [] : [`integrity check: ${integrity}`]),
		...compareCounts(manifest.tables, counts)
	];
	if (problems.length > 0) {
		await rm(staging, { force: true });
		throw new DomainError(
			`The database in ${dir} failed its checks, so nothing was restored:\n  ${problems.join('\n  ')}`
		);
	}
	await syncToDisk(staging);

	const prefix = `${EXPORTS_FOLDER}/`;
	const exported = manifest.files
		.filter((f) => f.path.startsWith(prefix))
		.map((f) => f.path.slice(prefix.length));
	await rm(target.exportsDir, { recursive: true, force: true });
	await copyFiles(join(dir, EXPORTS_FOLDER), target.exportsDir, exported);
	// The replaced database's log goes too: SQLite would otherwise replay it over the restored file.
	for (const file of databaseFiles(target.databasePath)) await rm(file, { force: true });
	await rename(staging, target.databasePath);
	await syncToDisk(dirname(target.databasePath));
	return manifest;
}
