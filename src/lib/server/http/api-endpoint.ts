import { isHttpError, type RequestEvent } from '@sveltejs/kit';
import { apiError } from './api-error';

/** The codes scripts branch on, for the stops that guards and parameters raise. */
const CODES: Record<number, string> = {
	400: 'bad_request',
	401: 'unauthorized',
	403: 'forbidden',
	404: 'not_found'
};

/**
 * The challenge RFC 6750 asks a 401 to carry, so that a client knows to send a bearer token;
 * `error` says the token it sent was refused rather than missing.
 */
export function bearerChallenge(error?: 'invalid_token'): string {
	return `Bearer realm="trait-review"${error ? `, error="${error}"` : ''}`;
}

/** A 401 in the API's error shape, with its challenge. */
export function apiUnauthorized(code: string, message: string): Response {
	const response = apiError(401, code, message);
	response.headers.set(
		'WWW-Authenticate',
		bearerChallenge(code === 'invalid_token' ? code : undefined)
	);
	return response;
}

/**
 * Wraps an API endpoint so that the stops shared with pages (`requireRole`, `idParam`, which
 * throw SvelteKit's `error()`) answer in the API's error shape, `{"error": {"code", "message"}}`,
 * rather than the pages' `{"message"}`. Every `+server.ts` under `/api/` uses it; the
 * authorization walk checks the shape of each refusal.
 */
export function apiEndpoint<Event extends RequestEvent>(
	handler: (event: Event) => Response | Promise<Response>
): (event: Event) => Promise<Response> {
	return async (event) => {
		try {
			return await handler(event);
		} catch (e) {
			if (!isHttpError(e) || e.status >= 500) throw e;
			const code = CODES[e.status] ?? 'error';
			if (e.status === 401) return apiUnauthorized(code, e.body.message);
			return apiError(e.status, code, e.body.message);
		}
	};
}
