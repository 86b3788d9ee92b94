import { formatCount } from '$lib/format';
import { createHash } from 'node:crypto';
import type { DB } from '../db';
import type { Export } from '../db/schema';
import { exportsDir, openExportFile } from './files';
import { getExport } from './records';

export type ExportCheck = {
	id: number;
	fileName: string;
	/** What differs from the record, in words; empty when the file is as recorded. */
	problems: string[];
};

/** The stored file's hash and size, read from disk; null when it is not there. */
async function measureFile(
	record: Pick<Export, 'fileName'>,
	dir: string
): Promise<{ sha256: string; bytes: number } | null> {
	const hash = createHash('sha256');
	let bytes = 0;
	try {
		for await (const chunk of openExportFile(record, dir)) {
			hash.update(chunk as Buffer);
			bytes += (chunk as Buffer).length;
		}
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw e;
	}
	return { sha256: hash.digest('hex'), bytes };
}

/**
 * Re-reads an export's stored file and compares it with its record: SHA-256 and size, and the
 * dataset card, which states both. Null when there is no such export.
 */
export async function verifyExport(
	db: DB,
	id: number,
	dir = exportsDir()
): Promise<ExportCheck | null> {
	const record = getExport(db, id);
	if (!record) return null;
	const problems: string[] = [];
	const found = await measureFile(record, dir);
	if (!found) {
		problems.push(`The file ${record.fileName} is missing from ${dir}.`);
	} else {
		if (found.bytes !== record.bytes) {
			problems.push(
				`The file has ${formatCount(found.bytes)} bytes; the record says ${formatCount(record.bytes)}.`
			);
		}
		if (found.sha256 !== record.sha256) {
			problems.push(`The file's SHA-256 is ${found.sha256}; the record says ${record.sha256}.`);
		}
	}
	if (!record.card.includes(`\`${record.sha256}\``)) {
		problems.push('The dataset card does not give the recorded SHA-256.');
	}
	if (!record.card.includes(`${formatCount(record.bytes)} bytes`)) {
		problems.push('The dataset card does not give the recorded size.');
	}
	return { id, fileName: record.fileName, problems };
}
