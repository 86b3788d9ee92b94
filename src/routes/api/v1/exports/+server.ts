import { json } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { DomainError } from '$lib/server/errors';
import { exportOptionsSchema, resolveBatchNames, runExport } from '$lib/server/exports';
import { apiEndpoint, apiError, readJsonObject, runOnce } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * POST /api/v1/exports with a JSON body: the export options (`format`, `strategy`,
 * `minMargin`, …) and the batches, as `batchIds` or as `batches` (names). Runs the export and
 * answers 201 with its record; the file is at `download`. An `Idempotency-Key` header makes a
 * retry answer with the first export instead of writing another.
 */
export const POST: RequestHandler = apiEndpoint(async ({ request }) => {
	const user = requireRole('lead');
	const body = await readJsonObject(request, 'export options');
	if (!body.ok) return body.response;
	return runOnce(getDb(), user.id, request, body.text, () => exportFor(user.id, body.value));
});

async function exportFor(userId: number, body: Record<string, unknown>): Promise<Response> {
	const db = getDb();
	const ids = Array.isArray(body.batchIds) ? [...body.batchIds] : [];
	try {
		ids.push(...resolveBatchNames(db, Array.isArray(body.batches) ? body.batches.map(String) : []));
	} catch (e) {
		if (e instanceof DomainError) return apiError(404, 'unknown_batch', e.message);
		throw e;
	}
	const parsed = exportOptionsSchema.safeParse({ ...body, batchIds: ids });
	if (!parsed.success) {
		return apiError(400, 'invalid_options', 'The export options are not valid.', {
			issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
		});
	}
	try {
		const record = await runExport(db, userId, parsed.data);
		return json(
			{
				id: record.id,
				format: record.format,
				settings: record.settings,
				rowCount: record.rowCount,
				itemsIn: record.itemsIn,
				itemsOut: record.itemsOut,
				sha256: record.sha256,
				bytes: record.bytes,
				createdAt: record.createdAt.toISOString(),
				download: `/api/v1/exports/${record.id}/download`,
				card: record.card
			},
			{ status: 201 }
		);
	} catch (e) {
		if (e instanceof DomainError)
			return apiError(e.status === 404 ? 404 : 422, 'cannot_export', e.message);
		throw e;
	}
}
