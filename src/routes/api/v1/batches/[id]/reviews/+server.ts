import { json } from '@sveltejs/kit';
import type { ImportFailureCode } from '$lib/import-result';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { DomainError } from '$lib/server/errors';
import { apiEndpoint, apiError } from '$lib/server/http';
import { receiveUpload, UploadTooLarge } from '$lib/server/imports';
import { importReviews, reviewImportQuery } from '$lib/server/review-imports';
import { idParam } from '$lib/server/routing';
import type { RequestHandler } from './$types';

const STATUS: Partial<Record<ImportFailureCode, number>> = { invalid_file: 422, conflict: 409 };

/**
 * POST /api/v1/batches/:id/reviews?map=reviewer-1%3Dalice&source=…  with a reviews JSONL (as
 * the reviews-jsonl export writes) as the raw body. All or nothing: 201 with what was
 * imported, or the problems, each with its line and field, and nothing written.
 */
export const POST: RequestHandler = apiEndpoint(async ({ request, url, params }) => {
	const user = requireRole('lead');
	const batchId = idParam(params.id, 'batch');
	let query;
	try {
		query = reviewImportQuery(url.searchParams);
	} catch (e) {
		if (e instanceof DomainError) return apiError(400, 'bad_request', e.message);
		throw e;
	}
	let upload;
	try {
		upload = await receiveUpload(request.body);
	} catch (e) {
		if (e instanceof UploadTooLarge) return apiError(413, 'file_too_large', e.message);
		throw e;
	}
	try {
		const result = await importReviews(getDb(), upload.path, {
			batchId,
			actorId: user.id,
			...query
		});
		if (result.ok) return json(result, { status: 201 });
		const { ok: _ok, code, message, ...details } = result;
		return apiError(STATUS[code] ?? 422, code, message, details);
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		// No such batch (404), or a locked one (409).
		return apiError(e.status, e.status === 404 ? 'not_found' : 'batch_locked', e.message);
	} finally {
		await upload.cleanup();
	}
});
