import { createHash } from 'node:crypto';
import type { DB } from '../db';
import {
	claimIdempotencyKey,
	idempotencyKeyProblem,
	recordIdempotentAnswer,
	releaseIdempotencyKey
} from '../idempotency';
import { apiError } from './api-error';

/**
 * Runs a JSON API write at most once per `Idempotency-Key` (per user, for a day): a retry with
 * the same key and body gets the first answer again, marked `Idempotent-Replayed: true`; the
 * same key with another body is refused. Only a success is remembered, since a failure wrote
 * nothing and its retry should run. Without the header, `run` simply runs.
 *
 * The answer is kept just after `run` commits its own write: a crash in between leaves the key
 * unanswered, and it is released at the next start (hooks.server.ts), so a retry then writes
 * again. That window is a few statements wide; closing it would put every write in one
 * transaction with its key.
 */
export async function runOnce(
	db: DB,
	userId: number,
	request: Request,
	body: string,
	run: () => Promise<Response>
): Promise<Response> {
	const key = request.headers.get('idempotency-key');
	if (key === null) return run();
	const problem = idempotencyKeyProblem(key);
	if (problem) return apiError(400, 'bad_request', problem);
	const { pathname, search } = new URL(request.url);
	const requestHash = createHash('sha256')
		.update(`${request.method} ${pathname}${search}\n${body}`)
		.digest('hex');
	const claim = claimIdempotencyKey(db, userId, key, requestHash);
	if (claim.state === 'reused') {
		return apiError(
			422,
			'idempotency_key_reused',
			'This Idempotency-Key was used for a different request in the last 24 hours: send a new key with new options.'
		);
	}
	if (claim.state === 'running') {
		return apiError(
			409,
			'request_in_progress',
			'The first request with this Idempotency-Key is still running: retry in a moment.'
		);
	}
	if (claim.state === 'answered') {
		return new Response(claim.response, {
			status: claim.status,
			headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' }
		});
	}
	let response: Response;
	try {
		response = await run();
	} catch (e) {
		releaseIdempotencyKey(db, claim.id);
		throw e;
	}
	if (response.ok) {
		recordIdempotentAnswer(db, claim.id, response.status, await response.clone().text());
	} else {
		releaseIdempotencyKey(db, claim.id);
	}
	return response;
}
