import { OVERLAP_MAX, OVERLAP_MIN } from '$lib/batch-settings';
import { z } from 'zod';
import { IMPORT_FORMAT_CHOICES } from '$lib/import-formats';
import { wholeNumberBetween } from '$lib/whole-number';
import { formCheckbox } from '../forms';
import type { ImportOptions } from './run';

/** Import options from query parameters, shared by the upload page and the HTTP API. */
export const importQuerySchema = z.object({
	format: z.enum(IMPORT_FORMAT_CHOICES).default('auto'),
	fileName: z.string().max(300).optional(),
	filename: z.string().max(300).optional(),
	constitution: z.string().trim().max(200).optional(),
	batch: z.string().trim().max(200).optional(),
	trait: z.string().trim().max(100).optional(),
	scale: wholeNumberBetween(2, 10, 'The scale needs 2 to 10 points.').optional(),
	overlap: wholeNumberBetween(OVERLAP_MIN, OVERLAP_MAX).optional(),
	blind: formCheckbox.optional(),
	calibration: formCheckbox.optional(),
	replace_invalid_utf8: formCheckbox.optional(),
	/** Open the batch for review as soon as it is imported (a batch starts as a draft). */
	open: formCheckbox.optional()
});

/**
 * The name a client gave its file: the `filename` (or `fileName`) parameter, else the
 * Content-Disposition header's. Only its last path part, and only when it has a name before
 * its extension, since the constitution and the batch are named after it.
 */
function clientFileName(
	query: { fileName?: string; filename?: string },
	disposition?: string | null
) {
	const name = query.filename || query.fileName || fileNameOfDisposition(disposition ?? '');
	const base = name?.split(/[/\\]/).pop()?.trim();
	return base && !base.startsWith('.') ? base : undefined;
}

/** `filename*=UTF-8''caf%C3%A9.jsonl` (RFC 6266, preferred) or `filename="café.jsonl"`. */
function fileNameOfDisposition(header: string): string | undefined {
	const extended = header.match(/filename\*\s*=\s*UTF-8''([^;]+)/i)?.[1];
	if (extended) {
		try {
			return decodeURIComponent(extended.trim());
		} catch {
			return undefined;
		}
	}
	return header
		.match(/filename\s*=\s*(?:"([^"]*)"|([^;]+))/i)
		?.slice(1)
		.find(Boolean)
		?.trim();
}

export function importOptionsFromQuery(
	params: URLSearchParams,
	actorId: number,
	contentDisposition?: string | null
): { options: ImportOptions; error?: never } | { options?: never; error: string } {
	const raw = Object.fromEntries([...params].filter(([, v]) => v !== ''));
	const parsed = importQuerySchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return { error: `${issue.path.join('.')}: ${issue.message}` };
	}
	const q = parsed.data;
	const fileName = clientFileName(q, contentDisposition);
	// Without either, the batch and its constitution would be named after a temporary file.
	if (!fileName && !q.constitution) {
		return {
			error:
				'Name the constitution to import into (constitution=…), or give the file’s name ' +
				'(filename=…, or a Content-Disposition header) to name it after the file.'
		};
	}
	return {
		options: {
			actorId,
			fileName,
			format: q.format,
			constitution: q.constitution,
			batch: q.batch,
			traitKey: q.trait,
			...(q.replace_invalid_utf8 !== undefined && { replaceInvalidUtf8: q.replace_invalid_utf8 }),
			...(q.open !== undefined && { open: q.open }),
			settings: {
				...(q.scale !== undefined && { scalePoints: q.scale }),
				...(q.overlap !== undefined && { overlap: q.overlap }),
				...(q.blind !== undefined && { blind: q.blind }),
				...(q.calibration !== undefined && { calibration: q.calibration })
			}
		}
	};
}
