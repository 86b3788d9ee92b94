import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatMegabytes } from '$lib/format';
import { DomainError } from '../errors';
import { sha256OfFile, syncToDisk } from './files';
import type { TableCounts } from './snapshot';

/** The backup's copy of the database, inside the backup folder. */
export const DATABASE_FILE = 'database.sqlite';
/** The backup's copy of the exports folder, inside the backup folder. */
export const EXPORTS_FOLDER = 'exports';
export const MANIFEST_FILE = 'manifest.json';

export type BackupFile = { path: string; bytes: number; sha256: string };

/**
 * What a backup holds, written last: a folder without it is an unfinished backup. Paths are
 * relative to the backup folder, with `/` between folders.
 */
export type Manifest = {
	format: 'trait-review-backup';
	version: 1;
	/** When the copy of the database was started: every commit before it is in the copy. */
	startedAt: string;
	finishedAt: string;
	source: { database: string; exports: string };
	/** Rows per table of the copied database (`__drizzle_migrations`: the migrations applied). */
	tables: TableCounts;
	files: BackupFile[];
};

/** What a backup holds, in a few words: "the database and 2 export files, 217.4 MB". */
export function summarizeBackup(manifest: Manifest): string {
	const exported = manifest.files.length - 1;
	const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
	return `the database and ${exported} export file${exported === 1 ? '' : 's'}, ${formatMegabytes(bytes)}`;
}

export async function describeFile(dir: string, path: string): Promise<BackupFile> {
	const full = join(dir, path);
	return { path, bytes: (await stat(full)).size, sha256: await sha256OfFile(full) };
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
	const path = join(dir, MANIFEST_FILE);
	await writeFile(path, JSON.stringify(manifest, null, '\t') + '\n');
	await syncToDisk(path);
	await syncToDisk(dir);
}

export async function readManifest(dir: string): Promise<Manifest> {
	let text;
	try {
		text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
	} catch {
		throw new DomainError(
			`${dir} is not a finished backup: it has no ${MANIFEST_FILE}.`,
			undefined,
			404
		);
	}
	const manifest = JSON.parse(text) as Manifest;
	if (manifest.format !== 'trait-review-backup' || manifest.version !== 1) {
		throw new DomainError(`${join(dir, MANIFEST_FILE)} is not a Trait Review backup manifest.`);
	}
	return manifest;
}

function isBackupPath(path: string): boolean {
	if (path === DATABASE_FILE) return true;
	const parts = path.split('/');
	return (
		parts[0] === EXPORTS_FOLDER &&
		parts.length > 1 &&
		parts.every((part) => part !== '' && part !== '.' && part !== '..' && !part.includes('\\'))
	);
}

/** Every file the manifest lists, checked for its size and SHA-256: what differs, one per line. */
export async function verifyFiles(dir: string, manifest: Manifest): Promise<string[]> {
	const problems: string[] = [];
	if (!manifest.files.some((f) => f.path === DATABASE_FILE)) {
		problems.push(`${DATABASE_FILE}: not in the manifest`);
	}
	for (const expected of manifest.files) {
		// A manifest names only files inside its backup: restoring must never write elsewhere.
		if (!isBackupPath(expected.path)) {
			problems.push(`${expected.path}: not a file of a backup`);
			continue;
		}
		let found: BackupFile;
		try {
			found = await describeFile(dir, expected.path);
		} catch {
			problems.push(`${expected.path}: missing`);
			continue;
		}
		if (found.bytes !== expected.bytes || found.sha256 !== expected.sha256) {
			problems.push(`${expected.path}: its SHA-256 differs from the manifest`);
		}
	}
	return problems;
}

/** Tables whose row count differs from the manifest's, as `name: found, expected`. */
export function compareCounts(expected: TableCounts, found: TableCounts): string[] {
	const names = [...new Set([...Object.keys(expected), ...Object.keys(found)])].sort();
	return names
		.filter((name) => expected[name] !== found[name])
		.map(
			(name) =>
				`${name}: ${found[name] ?? 'no table'} rows, the manifest says ${expected[name] ?? 'no table'}`
		);
}
