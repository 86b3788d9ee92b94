import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { getBatch } from '$lib/server/batches';
import { numericSetting } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { domainFailure, formError, parseForm, type FieldErrors } from '$lib/server/forms';
import { receiveUpload } from '$lib/server/imports';
import { importReviews, parseReviewerMap } from '$lib/server/review-imports';
import { idParam } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	requireRole('lead');
	const found = getBatch(getDb(), idParam(params.id, 'batch'));
	if (!found) error(404, 'There is no such batch.');
	const { batch } = found;
	return {
		batch: { id: batch.id, name: batch.name, status: batch.status, overlap: batch.overlap },
		// A form post is held to MAX_BODY_KB; larger files go through the command line or the API.
		maxFormKb: numericSetting('MAX_BODY_KB')
	};
};

const importForm = z.object({
	map: z.string().max(20_000).default(''),
	source: z.string().trim().max(100, 'Keep the source under 100 characters.').default('')
});

export const actions: Actions = {
	import: async ({ params, request }) => {
		const user = requireRole('lead');
		const batchId = idParam(params.id, 'batch');
		const form = await request.formData();
		const parsed = parseForm(importForm, form);
		if (parsed.failure) return parsed.failure;
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) {
			return formError(400, 'Choose a reviews file (JSONL).', form, 'file');
		}
		const upload = await receiveUpload(file.stream());
		try {
			const result = await importReviews(getDb(), upload.path, {
				batchId,
				actorId: user.id,
				map: parseReviewerMap([parsed.data.map]),
				source: parsed.data.source || undefined,
				fileName: file.name
			});
			if (result.ok) return { imported: result };
			const { message, issues, totalIssues } = result;
			const errors: FieldErrors = { form: message };
			return fail(result.code === 'conflict' ? 409 : 422, {
				errors,
				values: { map: parsed.data.map, source: parsed.data.source },
				issues,
				totalIssues
			});
		} catch (e) {
			return domainFailure(e, form);
		} finally {
			await upload.cleanup();
		}
	}
};
