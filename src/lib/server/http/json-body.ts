import { apiError } from './api-error';
import { mediaType } from './media-type';

export type JsonObjectBody =
	{ ok: true; text: string; value: Record<string, unknown> } | { ok: false; response: Response };

/**
 * A request's JSON object body, with its text (for idempotency keys), or the answer to give:
 * 415 for another content type, since a body read as JSON whatever it claims to be could be a
 * form posted from another site; 400 when it is not a JSON object.
 */
export async function readJsonObject(request: Request, what: string): Promise<JsonObjectBody> {
	if (mediaType(request) !== 'application/json') {
		return {
			ok: false,
			response: apiError(
				415,
				'unsupported_media_type',
				`Send ${what} as JSON, with Content-Type: application/json.`
			)
		};
	}
	const text = await request.text();
	try {
		const value: unknown = JSON.parse(text);
		if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
			return { ok: true, text, value: value as Record<string, unknown> };
		}
	} catch {
		// answered below
	}
	return {
		ok: false,
		response: apiError(400, 'bad_request', `The body must be a JSON object of ${what}.`)
	};
}
