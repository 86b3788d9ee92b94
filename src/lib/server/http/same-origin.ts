import { json, text, type RequestEvent } from '@sveltejs/kit';
import { apiError } from './api-error';
import { mediaType } from './media-type';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What an HTML form can send from any site without asking first (SvelteKit's list). */
const FORM_TYPES = new Set([
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	'application/x-sveltekit-formdata'
]);

/** What the request carries: a session cookie, a bearer token (either may be bad). */
type Credentials = { session: boolean; bearer: boolean };

export function isApiPath(pathname: string): boolean {
	return pathname.startsWith('/api/');
}

/**
 * Whether a write must come from our own origin. A form can be posted to us from any site, with
 * the visitor's cookie, so form types are always checked. JSON with a session cookie is checked
 * too: a browser sends it cross-site only after a CORS preflight that this app never grants,
 * but a proxy that granted one would otherwise open every signed-in API call. A bearer token is
 * not something a browser adds by itself, so an API call carrying one and no cookie is a script,
 * not a forgery, and goes through whatever its content type (curl sends a form type).
 */
function mustBeSameOrigin(request: Request, pathname: string, credentials: Credentials): boolean {
	if (!WRITE_METHODS.has(request.method)) return false;
	const { session, bearer } = credentials;
	if (bearer && !session && isApiPath(pathname)) return false;
	const type = mediaType(request);
	if (FORM_TYPES.has(type)) return true;
	return session && (type === 'application/json' || type === '');
}

/**
 * The 403 for a cross-site write, or null when the request may go on. It replaces SvelteKit's
 * own check (`csrf.trustedOrigins: ['*']` in svelte.config.js), which runs before `handle` and
 * so cannot tell a script's bearer token from a forged form; forms get its same answer.
 */
export function refuseCrossSite(event: RequestEvent, credentials: Credentials): Response | null {
	const { request, url } = event;
	if (!mustBeSameOrigin(request, url.pathname, credentials)) return null;
	if (request.headers.get('origin') === url.origin) return null;
	const isForm = FORM_TYPES.has(mediaType(request));
	const message = `Cross-site ${request.method} ${isForm ? 'form submissions are' : 'requests are'} forbidden`;
	if (isApiPath(url.pathname)) {
		return apiError(403, 'cross_site', `${message}: scripts send an API token instead.`);
	}
	if (request.headers.get('accept') === 'application/json')
		return json({ message }, { status: 403 });
	return text(message, { status: 403 });
}
