import { createReadStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { DEFAULT_DATABASE_PATH } from '../db';
import type { Export } from '../db/schema';

/** Where export files live: EXPORTS_DIR, or `exports/` beside the database file. */
export function exportsDir(): string {
	if (process.env.EXPORTS_DIR) return resolve(process.env.EXPORTS_DIR);
	const database = process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH;
	return join(dirname(resolve(database)), 'exports');
}

/** The stored file, exactly as written: the same bytes on every download. */
export function openExportFile(record: Pick<Export, 'fileName'>, dir = exportsDir()): Readable {
	return createReadStream(join(dir, record.fileName));
}

export function exportContentType(format: string): string {
	return format === 'reviews-csv'
		? 'text/csv; charset=utf-8'
		: 'application/x-ndjson; charset=utf-8';
}
