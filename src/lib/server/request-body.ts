import type { RequestEvent } from '@sveltejs/kit';
import { hasRole } from '../roles';
import type { SessionUser } from './auth/session';
import { numericSetting } from './config';

/**
 * The endpoints that take import files. They stream the body to disk and stop at the import
 * file limit themselves (uploads.ts); everything else is held to MAX_BODY_KB here.
 */
const UPLOAD_PATHS = new Set(['/imports/upload', '/api/v1/imports']);
/** A reviews file imported onto a batch (review-imports/). */
const REVIEWS_UPLOAD = /^\/api\/v1\/batches\/\d+\/reviews$/;

/** Only a lead or admin (or a lead's API token) may send an import-sized body. */
function mayUpload(pathname: string, user: SessionUser | null): boolean {
	const upload = UPLOAD_PATHS.has(pathname) || REVIEWS_UPLOAD.test(pathname);
	return upload && user !== null && hasRole(user.role, 'lead');
}

/**
 * Holds a request to its body limit: a declared Content-Length over it is refused at once, and
 * a chunked body, which declares none, is counted as it arrives. Returns the 413 to answer with,
 * or null once the event carries a body the handlers can read.
 */
export async function limitRequestBody(event: RequestEvent): Promise<Response | null> {
	const { request, url } = event;
	if (!request.body) return null;
	if (mayUpload(url.pathname, event.locals.user)) {
		event.request = withBody(request, drainWhenCancelled(request.body));
		return null;
	}
	const limit = numericSetting('MAX_BODY_KB') * 1024;
	const declared = request.headers.get('content-length');
	if (Number(declared ?? 0) > limit) {
		void discardBody(request.body.getReader());
		return bodyTooLarge(url.pathname, limit);
	}
	// A declared length within the limit holds: Node's parser ends the body at that many bytes.
	// Only a chunked body, which declares none, needs counting (and reading whole) here; the
	// review page's posts all declare theirs, and re-reading each into a new Request was 3% of
	// the server's time under review load.
	if (declared !== null && /^\d+$/.test(declared.trim())) return null;
	// Form posts and JSON are small: reading them whole here costs the handlers nothing.
	const bytes = await readBodyWithin(request.body, limit);
	if (!bytes) return bodyTooLarge(url.pathname, limit);
	event.request = withBody(request, bytes);
	return null;
}

function withBody(request: Request, body: BodyInit): Request {
	// `duplex` is required by Node's fetch for a streamed body, and not yet in the DOM types.
	const init = { method: request.method, headers: request.headers, body, duplex: 'half' };
	return new Request(request.url, init as RequestInit);
}

/**
 * Reads and drops what is left of a body. Answering early and closing the connection would
 * reset it while the client is still sending, and the client would see the reset instead of
 * the answer; Node's requestTimeout bounds how long this can go on.
 */
async function discardBody(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	try {
		while (!(await reader.read()).done) {
			// dropped
		}
	} catch {
		// The client went away: nothing left to read.
	}
}

/**
 * Reads a whole body, counting as it streams, since a chunked body declares no length. Past
 * `limit` bytes it stops keeping anything, drops the rest and returns null.
 */
async function readBodyWithin(
	body: ReadableStream<Uint8Array>,
	limit: number
): Promise<Uint8Array<ArrayBuffer> | null> {
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			void discardBody(reader);
			return null;
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}

/**
 * An upload's body, passed through as it streams. When the endpoint stops reading (the file is
 * over the import limit), the rest is dropped rather than the connection reset, so the client
 * gets the endpoint's 413.
 */
function drainWhenCancelled(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
	const reader = body.getReader();
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				const { done, value } = await reader.read();
				if (done) controller.close();
				else controller.enqueue(value);
			},
			cancel() {
				void discardBody(reader);
			}
		},
		{ highWaterMark: 0 }
	);
}

function bodyTooLarge(pathname: string, limit: number): Response {
	const message = `The request body is larger than the limit of ${Math.floor(limit / 1024)} KB.`;
	if (pathname.startsWith('/api/')) {
		return Response.json({ error: { code: 'body_too_large', message } }, { status: 413 });
	}
	return new Response(message, {
		status: 413,
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
}
