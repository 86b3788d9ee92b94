import { json } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import type { ImportFailureCode } from '$lib/import-result';
import {
	importFile,
	importOptionsFromQuery,
	receiveUpload,
	UploadTooLarge
} from '$lib/server/imports';
import { apiEndpoint, apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

const STATUS = {
	invalid_file: 422,
	unknown_format: 422,
	already_imported: 409,
	conflict: 409,
	file_too_large: 413
} as const satisfies Record<ImportFailureCode, number>;

/**
 * POST /api/v1/imports?format=auto&constitution=…&batch=…  with the file as the raw body.
 * Authenticated by `Authorization: Bearer <token>` (or a browser session). The file's name
 * comes from `filename=…` or a Content-Disposition header. A batch is imported as a draft;
 * `open=true` opens it for review at once, and the answer's `status` says which.
 */
export const POST: RequestHandler = apiEndpoint(async ({ request, url }) => {
	const user = requireRole('lead');
	const query = importOptionsFromQuery(
		url.searchParams,
		user.id,
		request.headers.get('content-disposition')
	);
	if (query.error !== undefined) {
		return apiError(400, 'bad_request', query.error);
	}
	let upload;
	try {
		upload = await receiveUpload(request.body);
	} catch (e) {
		if (e instanceof UploadTooLarge) {
			return apiError(413, 'file_too_large', e.message);
		}
		throw e;
	}
	try {
		const result = await importFile(getDb(), upload.path, query.options);
		if (result.ok) return json(result, { status: 201 });
		const { ok: _ok, code, message, ...details } = result;
		return apiError(STATUS[code], code, message, details);
	} finally {
		await upload.cleanup();
	}
});
