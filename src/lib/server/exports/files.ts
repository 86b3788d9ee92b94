import { createReadStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { ExportFormat } from '$lib/export-options';
import { DEFAULT_DATABASE_PATH } from '../db';
import type { Export } from '../db/schema';
import { fileExtension } from './options';

/**
 * Where export files live: EXPORTS_DIR, or `exports/` beside the database file. The folder
 * belongs to one database: files in it that its database does not record are removed at start.
 */
export function exportsDir(): string {
	if (process.env.EXPORTS_DIR) return resolve(process.env.EXPORTS_DIR);
	const database = process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH;
	return join(dirname(resolve(database)), 'exports');
}

/** The name an export file is stored under: when, what, and the start of its hash. */
export function exportFileName(
	createdAt: Date,
	format: ExportFormat,
	sha256: string,
	extension = fileExtension(format)
): string {
	const when = createdAt.toISOString().replace(/[:.]/g, '-');
	return `${when}-${format}-${sha256.slice(0, 12)}.${extension}`;
}

/** True for a name `exportFileName` gives: the only finished files cleanup may remove. */
export function isExportFileName(name: string): boolean {
	return /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-[a-z0-9-]+-[0-9a-f]{12}\.[a-z]+$/.test(name);
}

/** The stored file, exactly as written: the same bytes on every download. */
export function openExportFile(record: Pick<Export, 'fileName'>, dir = exportsDir()): Readable {
	return createReadStream(join(dir, record.fileName));
}

/** By the stored file's extension: a dataset folder is stored as a tar archive. */
export function exportContentType(fileName: string): string {
	if (fileName.endsWith('.tar')) return 'application/x-tar';
	return fileName.endsWith('.csv')
		? 'text/csv; charset=utf-8'
		: 'application/x-ndjson; charset=utf-8';
}
