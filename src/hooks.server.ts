import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { authenticateApiToken } from '$lib/server/api-tokens';
import { getDb } from '$lib/server/db';
import { startCheckpointer } from '$lib/server/db/checkpointer';
import { removeAbandonedImports } from '$lib/server/imports';
import {
	SESSION_COOKIE,
	sessionCookieOptions,
	validateSessionToken
} from '$lib/server/auth/session';

export const init: ServerInit = () => {
	// Opening the database applies pending migrations, and fails the start on bad configuration.
	const { $client } = getDb();
	// Checkpoints off the request path: requests never wait for the log to be synced.
	if (!$client.memory) startCheckpointer($client);
	// Batches left `importing` by a crashed import go in the background: nobody sees them anyway.
	removeAbandonedImports(getDb()).catch((e) => console.error('Removing unfinished imports:', e));
};

/** Only these paths take large bodies; they stream them to disk and enforce their own limit. */
const UPLOAD_PATHS = new Set(['/imports/upload', '/api/v1/imports']);
const MAX_FORM_BYTES = 1024 * 1024;

export const handle: Handle = async ({ event, resolve }) => {
	// BODY_SIZE_LIMIT is lifted for uploads (see scripts/start.js), so everything else is capped here.
	const length = Number(event.request.headers.get('content-length') ?? 0);
	if (length > MAX_FORM_BYTES && !UPLOAD_PATHS.has(event.url.pathname)) {
		return new Response('Request body too large.', { status: 413 });
	}
	event.locals.user = null;
	event.locals.sessionId = null;
	const bearer = event.request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
	const token = event.cookies.get(SESSION_COOKIE);
	if (bearer && event.url.pathname.startsWith('/api/')) {
		// API tokens act with their owner's role; a bad token is a 401, never a fallback to cookies.
		event.locals.user = authenticateApiToken(getDb(), bearer);
		if (!event.locals.user) {
			return Response.json(
				{ error: { code: 'invalid_token', message: 'The API token is unknown or revoked.' } },
				{ status: 401 }
			);
		}
	} else if (token) {
		const result = validateSessionToken(getDb(), token);
		if (result) {
			event.locals.user = result.user;
			event.locals.sessionId = result.session.id;
			if (result.renewed) {
				event.cookies.set(
					SESSION_COOKIE,
					token,
					sessionCookieOptions(event.url, result.session.expiresAt)
				);
			}
		} else {
			event.cookies.delete(SESSION_COOKIE, { path: '/' });
		}
	}

	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	if (event.locals.user) response.headers.set('Cache-Control', 'private, no-store');
	return response;
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	// 404s and the like are expected: no id, no stack trace in the log.
	if (status < 500) return { message };
	const errorId = crypto.randomUUID().slice(0, 8);
	console.error(`[error ${errorId}] ${event.request.method} ${event.url.pathname}`, error);
	return { message: 'Something went wrong on our side.', errorId };
};
