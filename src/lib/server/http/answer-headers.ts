/** What every answer carries: hooks.server.ts sets them, and the review lane sends them too. */
export const SECURITY_HEADERS = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'same-origin',
	'X-Frame-Options': 'DENY'
} as const;

/** What an answer to a signed-in user adds: it is theirs alone, never to be stored. */
export const SIGNED_IN_HEADERS = { 'Cache-Control': 'private, no-store' } as const;
