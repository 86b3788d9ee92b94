import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { authenticateApiToken } from '$lib/server/api-tokens';
import { prepareSetupCode } from '$lib/server/auth/setup-code';
import { assertValidConfiguration } from '$lib/server/config';
import { backfillTallies, startTallyRefresher } from '$lib/server/dashboard';
import { getDb } from '$lib/server/db';
import { startCheckpointer } from '$lib/server/db/checkpointer';
import { startBackupSchedule } from '$lib/server/backup';
import { removeExportLeftovers } from '$lib/server/exports';
import { apiUnauthorized, isApiPath, refuseCrossSite } from '$lib/server/http';
import { SECURITY_HEADERS, SIGNED_IN_HEADERS } from '$lib/server/http/answer-headers';
import { openReviewLane } from '$lib/server/http/review-lane';
import { releaseUnansweredIdempotencyKeys } from '$lib/server/idempotency';
import { limitRequestBody } from '$lib/server/request-body';
import { countUsers } from '$lib/server/users';
import { removeAbandonedImports } from '$lib/server/imports';
import { logServerError, SERVER_ERROR_MESSAGE } from '$lib/server/errors';
import {
	SESSION_COOKIE,
	sessionCookieOptions,
	validateSessionToken
} from '$lib/server/auth/session';

export const init: ServerInit = () => {
	// A bad number in the environment stops the start here, naming the setting.
	assertValidConfiguration();
	// Opening the database applies pending migrations, and fails the start on bad configuration.
	const db = getDb();
	// Checkpoints off the request path: requests wait only for their own commit's sync.
	if (!db.$client.memory) startCheckpointer(db.$client);
	startTallyRefresher(db); // the dashboard tallies that submits mark stale, between requests
	prepareSetupCode(countUsers(db) > 0);
	removeExportLeftovers(db); // what a crash left in the exports folder
	releaseUnansweredIdempotencyKeys(db); // requests a crash left without an answer
	// Scheduled backups when BACKUP_DIR is set; bad settings fail the start.
	startBackupSchedule();
	// Batches left `importing` by a crashed import go in the background: nobody sees them anyway.
	removeAbandonedImports(db).catch((e) => console.error('Removing unfinished imports:', e));
	// Counts, in the background, the batches the dashboard's tallies do not hold yet.
	backfillTallies(db).catch((e) => console.error('Counting the dashboard tallies failed:', e));
	// The review page's JSON posts, answered before SvelteKit by scripts/start.js's server.
	openReviewLane();
};

export const handle: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.sessionId = null;
	const bearer = event.request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
	const token = event.cookies.get(SESSION_COOKIE);
	// Before anything is read or written: a write forged from another site stops here.
	const crossSite = refuseCrossSite(event, {
		session: token !== undefined,
		bearer: bearer !== undefined
	});
	if (crossSite) return crossSite;
	if (bearer && isApiPath(event.url.pathname)) {
		// API tokens act with their owner's role; a bad token is a 401, never a fallback to cookies.
		event.locals.user = authenticateApiToken(getDb(), bearer);
		if (!event.locals.user) {
			return apiUnauthorized('invalid_token', 'The API token is unknown or revoked.');
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

	// After authentication: only a signed-in lead may send an upload past MAX_BODY_KB.
	// adapter-node's own limit is lifted (scripts/start.js) so that uploads can pass it.
	const tooLarge = await limitRequestBody(event);
	if (tooLarge) return tooLarge;

	const response = await resolve(event);
	const headers = event.locals.user
		? { ...SECURITY_HEADERS, ...SIGNED_IN_HEADERS }
		: SECURITY_HEADERS;
	for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
	return response;
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	// 404s and the like are expected: no id, no stack trace in the log.
	if (status < 500) return { message };
	const errorId = logServerError(`${event.request.method} ${event.url.pathname}`, error);
	return { message: SERVER_ERROR_MESSAGE, errorId };
};
