import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DomainError } from '../errors';
import { copyFiles, listFiles, syncToDisk } from './files';
import { isInside, type DataLocations } from './locations';
import {
	DATABASE_FILE,
	describeFile,
	EXPORTS_FOLDER,
	writeManifest,
	type BackupFile,
	type Manifest
} from './manifest';
import { snapshotDatabase } from './snapshot';

/**
 * Takes a backup into `out` (a new or empty folder) while the app goes on running: a consistent
 * copy of the database, a copy of the exports folder, and `manifest.json` (row counts per table,
 * the size and SHA-256 of every file), written last.
 *
 * The database is copied first. An export's file is complete on disk before its record is
 * written, so every export recorded in the copy finds its file in the exports copied after it.
 */
export async function backupDatabase(from: DataLocations, out: string): Promise<Manifest> {
	out = resolve(out);
	if (!existsSync(from.databasePath)) {
		throw new DomainError(`There is no database at ${from.databasePath}.`, undefined, 404);
	}
	if (isInside(out, from.exportsDir)) {
		throw new DomainError(`A backup cannot go inside the exports folder (${from.exportsDir}).`);
	}
	await mkdir(out, { recursive: true });
	if ((await readdir(out)).length > 0) {
		throw new DomainError(`${out} is not empty: a backup goes into a new or empty folder.`);
	}
	const startedAt = new Date();
	const tables = await snapshotDatabase(from.databasePath, join(out, DATABASE_FILE));
	await syncToDisk(join(out, DATABASE_FILE));
	const exported = await listFiles(from.exportsDir);
	await copyFiles(from.exportsDir, join(out, EXPORTS_FOLDER), exported);
	const files: BackupFile[] = [];
	for (const path of [DATABASE_FILE, ...exported.map((f) => `${EXPORTS_FOLDER}/${f}`)]) {
		files.push(await describeFile(out, path));
	}
	const manifest: Manifest = {
		format: 'trait-review-backup',
		version: 1,
		startedAt: startedAt.toISOString(),
		finishedAt: new Date().toISOString(),
		source: { database: from.databasePath, exports: from.exportsDir },
		tables,
		files
	};
	await writeManifest(out, manifest);
	return manifest;
}
