import type { IncomingMessage, ServerResponse } from 'node:http';
import { SESSION_COOKIE, vouchedSession } from '../auth/session';
import { numericSetting } from '../config';
import { getDb } from '../db';
import { logServerError, SERVER_ERROR_MESSAGE } from '../errors';
import { runJsonStep, type StepOutcome, type StepRoute } from '../reviews';
import { SECURITY_HEADERS, SIGNED_IN_HEADERS } from './answer-headers';
import { mediaTypeOf } from './media-type';

/**
 * The review lane: the enhanced review page's four JSON posts (`/review/[batchId]/next` and
 * `items/[itemId]/save|submit|skip`), answered straight from Node's request.
 *
 * Under realistic review load a third of the server's time went to SvelteKit's handling of
 * these posts (a Request and its body stream, an AbortSignal, the Response and its stream),
 * not to the review itself, and the tail waited behind it. The lane runs the same step as the
 * endpoints (runJsonStep) and gives the same answer.
 *
 * It takes only a request it is sure of, and leaves everything else, untouched, to SvelteKit:
 * a POST to one of the four paths exactly as the page writes them, with JSON from our own
 * origin, a declared length within MAX_BODY_KB, no API token, and a session that the validated
 * map vouches for without anything to write (vouchedSession). Those are the conditions under
 * which hooks.server.ts would let the request through unchanged to an endpoint whose only
 * check of its own is a signed-in user. Anything else, a refusal, a renewal, a cookie to clear,
 * a body to count, takes SvelteKit's path, which answers it as it always has.
 */

/** The four paths, with ids as the page writes them (no leading zero, no query string). */
const STEP_PATH =
	/^\/review\/([1-9]\d{0,14})\/(?:next|items\/([1-9]\d{0,14})\/(save|submit|skip))$/;

/** Where the lane is published for scripts/start.js, which runs outside the app's bundle. */
const LANE = Symbol.for('trait-review.review-lane');

type Lane = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Makes the lane available to the start script's server (see `reviewLane` there). */
export function openReviewLane(): void {
	(globalThis as { [LANE]?: Lane })[LANE] = answerReviewStep;
}

let known: { setting: string; origin: string | null } | undefined;

/** ORIGIN as SvelteKit reads it (adapter-node builds every request's URL on it). */
function originOf(setting: string): string | null {
	if (known?.setting !== setting) {
		let origin = null;
		try {
			origin = new URL(setting).origin;
		} catch {
			// adapter-node refuses to start on it; the lane takes nothing.
		}
		known = { setting, origin };
	}
	return known.origin;
}

/** The step a request names, or null when the lane leaves the request to SvelteKit. */
export function laneRoute(
	method: string | undefined,
	url: string | undefined,
	headers: IncomingMessage['headers'],
	origin: string | undefined = process.env.ORIGIN
): { route: StepRoute; token: string } | null {
	if (method !== 'POST' || !url || !origin) return null;
	const match = STEP_PATH.exec(url);
	if (!match) return null;
	if (headers.origin !== originOf(origin)) return null;
	if (mediaTypeOf(headers['content-type']) !== 'application/json') return null;
	if (headers.authorization !== undefined || headers['transfer-encoding'] !== undefined) {
		return null;
	}
	const length = headers['content-length'];
	if (!length || !/^\d{1,9}$/.test(length)) return null;
	if (Number(length) > numericSetting('MAX_BODY_KB') * 1024) return null;
	const token = sessionToken(headers.cookie);
	if (!token) return null;
	const batchId = Number(match[1]);
	const route: StepRoute = match[2]
		? { step: match[3] as 'save' | 'submit' | 'skip', batchId, itemId: Number(match[2]) }
		: { step: 'next', batchId };
	return { route, token };
}

/**
 * The session cookie's value when it is read the same by any cookie parser: the first of that
 * name, made only of the token's own characters (no quotes, no escapes).
 */
function sessionToken(cookie: string | undefined): string | null {
	if (!cookie) return null;
	for (const pair of cookie.split(';')) {
		const at = pair.indexOf('=');
		if (at < 0 || pair.slice(0, at).trim() !== SESSION_COOKIE) continue;
		const value = pair.slice(at + 1).trim();
		return /^[a-z0-9]+\.[a-z0-9]+$/.test(value) ? value : null;
	}
	return null;
}

/** Answers the request and resolves true, or resolves false at once, having read nothing. */
export async function answerReviewStep(
	req: IncomingMessage,
	res: ServerResponse
): Promise<boolean> {
	let taken, session;
	try {
		taken = laneRoute(req.method, req.url, req.headers);
		session = taken && vouchedSession(getDb(), taken.token);
	} catch {
		// Nothing is read yet: SvelteKit's path meets the same fault, and reports it.
		return false;
	}
	if (!taken || !session) return false;
	const started = performance.now();
	let outcome: StepOutcome;
	try {
		const body = await readBody(req);
		outcome = await runJsonStep(session.user.id, taken.route, body);
	} catch (e) {
		if (e instanceof ClosedEarly) return true;
		const errorId = logServerError(`${req.method} ${req.url}`, e);
		send(res, 500, { message: SERVER_ERROR_MESSAGE, errorId }, started);
		return true;
	}
	send(res, outcome.type === 'failure' ? outcome.status : 200, outcome, started);
	return true;
}

/** Decodes as Request.text() does, a byte-order mark dropped; it keeps no state between calls. */
const utf8 = new TextDecoder();

/** The body, whole: its declared length is within MAX_BODY_KB, and Node's parser ends it there. */
function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(utf8.decode(Buffer.concat(chunks))));
		req.on('error', reject);
		req.on('close', () => {
			if (!req.complete) reject(new ClosedEarly());
		});
	});
}

/** The client went away before its body ended: there is nobody to answer. */
class ClosedEarly extends Error {}

function send(res: ServerResponse, status: number, body: unknown, started: number): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(text),
		...SECURITY_HEADERS,
		...SIGNED_IN_HEADERS,
		// Which door answered, and how long the step took there: for the browser's tools.
		'Server-Timing': `lane;dur=${(performance.now() - started).toFixed(1)}`
	});
	res.end(text);
}
