import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatMegabytes } from '$lib/format';
import { configuredLimits } from './limits';

export class UploadTooLarge extends Error {}

/**
 * Streams a request body to a temporary file, never holding it in memory, and stops as soon as
 * it passes the size limit. Returns the path and a cleanup function.
 */
export async function receiveUpload(
	body: ReadableStream<Uint8Array> | null,
	maxBytes = configuredLimits().maxFileBytes
): Promise<{ path: string; bytes: number; cleanup: () => Promise<void> }> {
	if (!body) throw new UploadTooLarge('The request has no file in its body.');
	const dir = await mkdtemp(join(tmpdir(), 'trait-review-upload-'));
	const cleanup = () => rm(dir, { recursive: true, force: true });
	const path = join(dir, 'upload');
	let bytes = 0;
	const counter = new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			bytes += chunk.length;
			if (bytes > maxBytes) {
				callback(
					new UploadTooLarge(
						`The file is larger than the limit of ${formatMegabytes(maxBytes, 0)}.`
					)
				);
			} else callback(null, chunk);
		}
	});
	try {
		await pipeline(
			Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>),
			counter,
			createWriteStream(path)
		);
	} catch (e) {
		await cleanup();
		throw e;
	}
	return { path, bytes, cleanup };
}
