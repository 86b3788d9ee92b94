import { error } from '@sveltejs/kit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { DB } from '../db';
import { exportContentType, exportsDir, openExportFile } from './files';
import { getExport } from './records';

/**
 * The stored file of an export, streamed as it was written: byte for byte what was hashed.
 * The hash travels in a header, so a client can check what it received.
 */
export function exportFileResponse(db: DB, id: number): Response {
	const record = getExport(db, id);
	if (!record) error(404, 'There is no such export.');
	if (!existsSync(join(exportsDir(), record.fileName))) {
		error(410, `The file of export ${id} is no longer on the server (${record.fileName}).`);
	}
	const body = Readable.toWeb(openExportFile(record)) as ReadableStream<Uint8Array>;
	return new Response(body, {
		headers: {
			'content-type': exportContentType(record.fileName),
			'content-length': String(record.bytes),
			'content-disposition': `attachment; filename="${record.fileName}"`,
			'x-content-sha256': record.sha256
		}
	});
}

export function exportCardResponse(db: DB, id: number): Response {
	const record = getExport(db, id);
	if (!record) error(404, 'There is no such export.');
	return new Response(record.card, {
		headers: {
			'content-type': 'text/markdown; charset=utf-8',
			'content-disposition': `attachment; filename="export-${id}-card.md"`
		}
	});
}
