import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { DEFAULT_DATABASE_PATH } from '../db';
import { exportsDir } from '../exports';

/** Where the app keeps its data: the database file and the folder of export files. */
export type DataLocations = { databasePath: string; exportsDir: string };

/** The app's data, as DATABASE_PATH and EXPORTS_DIR place it. */
export function dataLocations(): DataLocations {
	return {
		databasePath: resolve(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH),
		exportsDir: exportsDir()
	};
}

/** True when `path` is `folder` or lies somewhere inside it. */
export function isInside(path: string, folder: string): boolean {
	const rel = relative(resolve(folder), resolve(path));
	return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The database file and the files SQLite keeps beside it while it is open. */
export function databaseFiles(databasePath: string): string[] {
	return ['', '-wal', '-shm'].map((suffix) => databasePath + suffix);
}

export function databaseExists(databasePath: string): boolean {
	return databaseFiles(databasePath).some((file) => existsSync(file));
}
