import { OVERLAP_MAX, OVERLAP_MIN } from '$lib/batch-settings';
import { z } from 'zod';
import { IMPORT_FORMAT_CHOICES } from '$lib/import-formats';
import type { ImportOptions } from './run';

const flag = z
	.enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
	.transform((v) => ['true', '1', 'on', 'yes'].includes(v));

/** Import options from query parameters, shared by the upload page and the HTTP API. */
export const importQuerySchema = z.object({
	format: z.enum(IMPORT_FORMAT_CHOICES).default('auto'),
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
