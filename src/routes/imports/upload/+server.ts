import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { logServerError } from '$lib/server/errors';
import type { ImportProgress, UploadLine, UploadResult } from '$lib/import-result';
import {
	importFile,
	importOptionsFromQuery,
	receiveUpload,
	UploadTooLarge
} from '$lib/server/imports';
import type { RequestHandler } from './$types';

/**
 * The upload page's endpoint. It answers with NDJSON: progress events while the file is
 * checked and written, then one `result` line, so the page can show a live progress bar.
 */
export const POST: RequestHandler = async ({ request, url }) => {
	const user = requireRole('lead');
	const query = importOptionsFromQuery(url.searchParams, user.id);
	const encoder = new TextEncoder();
	const line = (value: UploadLine) => encoder.encode(JSON.stringify(value) + '\n');

	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			const finish = (result: UploadResult) => {
				controller.enqueue(line({ type: 'result', result }));
				controller.close();
			};
			if (query.error !== undefined) {
				return finish({ ok: false, code: 'bad_request', message: query.error, issues: [] });
			}
			let upload;
			try {
				upload = await receiveUpload(request.body);
			} catch (e) {
				if (e instanceof UploadTooLarge) {
					return finish({ ok: false, code: 'file_too_large', message: e.message, issues: [] });
				}
				throw e;
			}
			try {
				let last = 0;
				let lastPhase = '';
				const onProgress = (p: ImportProgress) => {
					// A new phase at once, then at most a few updates a second: enough for a smooth bar.
					if (p.phase === lastPhase && Date.now() - last < 200) return;
					last = Date.now();
					lastPhase = p.phase;
					controller.enqueue(line({ type: 'progress', ...p }));
				};
				finish(await importFile(getDb(), upload.path, { ...query.options, onProgress }));
			} catch (e) {
				// The response has started, so handleError cannot answer: say it in the stream.
				const errorId = logServerError('import upload', e);
				finish({
					ok: false,
					code: 'server_error',
					message: `Something went wrong on our side (error id ${errorId}). Nothing was imported.`,
					issues: []
				});
			} finally {
				await upload.cleanup();
			}
		}
	});
	return new Response(stream, {
		headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' }
	});
};
