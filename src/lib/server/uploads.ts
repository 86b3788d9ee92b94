import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { OVERLAP_MAX, OVERLAP_MIN } from '$lib/batch-settings';
import { configuredLimits } from './import-limits';
import type { ImportOptions } from './imports';

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
						`The file is larger than the limit of ${Math.round(maxBytes / 1048576)} MB.`
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

const flag = z
	.enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
	.transform((v) => ['true', '1', 'on', 'yes'].includes(v));

/** Import options from query parameters, shared by the upload page and the HTTP API. */
export const importQuerySchema = z.object({
	format: z.enum(['auto', 'native', 'trl', 'oct', 'model-spec']).default('auto'),
	fileName: z.string().max(300).optional(),
	constitution: z.string().trim().max(200).optional(),
	batch: z.string().trim().max(200).optional(),
	trait: z.string().trim().max(100).optional(),
	scale: z.coerce
		.number()
		.int()
		.min(2, 'The scale needs 2 to 10 points.')
		.max(10, 'The scale needs 2 to 10 points.')
		.optional(),
	overlap: z.coerce.number().int().min(OVERLAP_MIN).max(OVERLAP_MAX).optional(),
	blind: flag.optional(),
	calibration: flag.optional()
});

export function importOptionsFromQuery(
	params: URLSearchParams,
	actorId: number
): { options: ImportOptions; error?: never } | { options?: never; error: string } {
	const raw = Object.fromEntries([...params].filter(([, v]) => v !== ''));
	const parsed = importQuerySchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return { error: `${issue.path.join('.')}: ${issue.message}` };
	}
	const q = parsed.data;
	return {
		options: {
			actorId,
			fileName: q.fileName,
			format: q.format,
			constitution: q.constitution,
			batch: q.batch,
			traitKey: q.trait,
			settings: {
				...(q.scale !== undefined && { scalePoints: q.scale }),
				...(q.overlap !== undefined && { overlap: q.overlap }),
				...(q.blind !== undefined && { blind: q.blind }),
				...(q.calibration !== undefined && { calibration: q.calibration })
			}
		}
	};
}
