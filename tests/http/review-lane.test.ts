// The review lane (src/lib/server/http/review-lane.ts) answers the review page's JSON posts
// before SvelteKit. The same requests, sent to the app with the lane (scripts/start.js) and to
// adapter-node's own entry without it, must get the same answers and write the same rows; and
// the lane must leave every request it is not sure of to SvelteKit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeInput } from '../../src/lib/server/reviews/testing';
import { sessionCookieFor } from '../support/http';
import { openBatchWithResearchers } from '../support/review-fixtures';
import { startServer, type TestServer } from '../support/server';

let withLane: TestServer;
let without: TestServer;
beforeAll(async () => {
	[withLane, without] = await Promise.all([
		startServer(),
		startServer({}, { entry: 'adapter-node' })
	]);
});
afterAll(() => Promise.all([withLane?.stop(), without?.stop()]));

/** What a client sees of an answer; item ids are left out of it, as the two queues may differ. */
type Seen = { status: number; type: string; headers: Record<string, string | null>; body: string };
type Answer = { seen: Seen; lane: boolean; location?: string };

const HEADERS = [
	'cache-control',
	'x-content-type-options',
	'referrer-policy',
	'x-frame-options',
	'location',
	'set-cookie'
];

type Post = {
	path: string;
	as?: number;
	body?: string;
	headers?: Record<string, string>;
	method?: string;
	/** Sent in chunks, with no declared length. */
	chunked?: true;
};

/** One server's side of the script: its batch, researchers and their cookies. */
async function stage(server: TestServer) {
	const { batchId, researchers } = await openBatchWithResearchers(server.db, {
		researchers: 2,
		overlap: 2
	});
	// The same queue order on both servers: the import shuffles it at random.
	server.db.$client.prepare(`UPDATE items SET shuffle_key = id WHERE batch_id = ?`).run(batchId);
	const cookies = new Map(researchers.map((r) => [r.id, sessionCookieFor(server.db, r.id)]));
	const [me, other] = researchers.map((r) => r.id);

	async function send({ path, as = me, body, headers = {}, method = 'POST', chunked }: Post) {
		const bytes = new TextEncoder().encode(body);
		const stream = new ReadableStream({
			start(controller) {
				controller.enqueue(bytes);
				controller.close();
			}
		});
		const res = await fetch(server.url + path, {
			method,
			// `duplex` is required by Node's fetch for a streamed body, and not yet in the DOM types.
			...({ duplex: 'half' } as object),
			redirect: 'manual',
			headers: {
				origin: server.url,
				accept: 'application/json',
				'content-type': 'application/json',
				// For adapter-node's own entry (see startServer); start.js's ignores it.
				'x-forwarded-proto': 'http',
				cookie: cookies.get(as) ?? '',
				...headers
			},
			body: chunked ? stream : body
		});
		const text = await res.text();
		const location = JSON.parse(text.startsWith('{') ? text : '{}').location as string | undefined;
		const seen: Seen = {
			status: res.status,
			type: res.headers.get('content-type') ?? '',
			headers: Object.fromEntries(HEADERS.map((h) => [h, res.headers.get(h)])),
			body: text
				.replaceAll(server.url, 'ORIGIN')
				.replace(/\/items\/\d+/g, '/items/N')
				.replace(/"savedAt":"[^"]+"/, '"savedAt":"T"')
		};
		return { seen, lane: /^lane;dur=/.test(res.headers.get('server-timing') ?? ''), location };
	}

	/** A request that validates the researcher's session, so that the lane may vouch for it. */
	const warm = (as: number) =>
		fetch(`${server.url}/review/${batchId}`, { headers: { cookie: cookies.get(as)! } });

	return { server, batchId, me, other, send, warm };
}

type Stage = Awaited<ReturnType<typeof stage>>;
const itemOf = (answer: Answer) => Number(answer.location?.match(/\/items\/(\d+)$/)?.[1]);

/** The review page's own posts: the lane takes each one on the server that has it. */
async function pagePosts(s: Stage): Promise<Answer[]> {
	const { batchId, me, other, send, warm } = s;
	const answers: Answer[] = [];
	const step = async (post: Post) => {
		await warm(post.as ?? me);
		const answer = await send(post);
		answers.push(answer);
		return answer;
	};
	const first = itemOf(await step({ path: `/review/${batchId}/next`, body: '{}' }));
	const payload = completeInput(s.server.db, first);
	const item = (id: number, name: string) => `/review/${batchId}/items/${id}/${name}`;
	await step({ path: item(first, 'save'), body: JSON.stringify({ payload }) });
	await step({ path: item(first, 'submit'), body: JSON.stringify({ payload: { scores: {} } }) });
	await step({ path: item(first, 'save'), body: 'not json' });
	await step({ path: item(first, 'save'), body: '[1]' });
	await step({ path: item(first, 'save'), as: other, body: JSON.stringify({ payload }) });
	await step({ path: `/review/${batchId + 1}/items/${first}/save`, body: '{}' });
	const second = itemOf(
		await step({ path: item(first, 'submit'), body: JSON.stringify({ payload }) })
	);
	await step({ path: item(first, 'submit'), body: JSON.stringify({ payload }) });
	await step({ path: item(second, 'skip'), body: JSON.stringify({ payload: {} }) });
	await step({ path: item(second, 'skip'), body: JSON.stringify({ reason: 'off', payload: {} }) });
	// With a byte-order mark, as Request.text() drops it.
	await step({ path: `/review/${batchId}/next`, as: other, body: '\ufeff{}' });
	return answers;
}

/** Requests the lane must leave to SvelteKit: they get SvelteKit's answer on both servers. */
async function otherRequests(s: Stage): Promise<Answer[]> {
	const { batchId, send, warm, me } = s;
	const next = `/review/${batchId}/next`;
	await warm(me);
	const posts: Post[] = [
		{ path: next, body: '{}', headers: { origin: 'http://evil.example' } },
		{ path: next, body: '{}', headers: { 'content-type': 'text/plain' } },
		{
			path: next,
			body: 'payload=%7B%7D',
			headers: { 'content-type': 'application/x-www-form-urlencoded' }
		},
		{ path: next, body: '{}', headers: { cookie: '' } },
		{ path: next, body: '{}', headers: { cookie: 'tr_session=made.up' } },
		{ path: next, body: '{}', headers: { authorization: 'Bearer nothing' } },
		{ path: `${next}?again=1`, body: '{}' },
		{ path: `/review/0${batchId}/next`, body: '{}' },
		{ path: `/review/${batchId}/next/`, body: '{}' },
		{ path: next, method: 'PUT', body: '{}' },
		{ path: next, body: JSON.stringify({ pad: 'x'.repeat(1100 * 1024) }) },
		{ path: next, body: '{}', chunked: true },
		{ path: next, body: JSON.stringify({ pad: 'x'.repeat(1100 * 1024) }), chunked: true }
	];
	const answers = [];
	for (const post of posts) answers.push(await send(post));
	return answers;
}

describe('the review lane', () => {
	it('answers the review page as SvelteKit does, and takes each of its posts', async () => {
		const [a, b] = await Promise.all([stage(withLane), stage(without)]);
		const [laneAnswers, plainAnswers] = [await pagePosts(a), await pagePosts(b)];
		expect(laneAnswers.map((x) => x.seen)).toEqual(plainAnswers.map((x) => x.seen));
		expect(laneAnswers.map((x) => x.lane)).toEqual(laneAnswers.map(() => true));
		expect(plainAnswers.map((x) => x.lane)).toEqual(plainAnswers.map(() => false));
		// The same rows behind the same answers.
		const rows = (s: Stage) =>
			s.server.db.$client
				.prepare(
					`SELECT user_id - ? AS who, status, skip_reason, overall_comment FROM reviews
					  WHERE batch_id = ? ORDER BY user_id, status`
				)
				.all(s.me, s.batchId);
		expect(rows(a)).toEqual(rows(b));
		expect(rows(a).length).toBeGreaterThan(0);
	});

	it('answers a fault inside a step as SvelteKit does: a 500 whose error id is in the log', async () => {
		const [a, b] = await Promise.all([stage(withLane), stage(without)]);
		// A fault no step expects, as a failing disk would raise: the claim's lease cannot be written.
		const fault = `CREATE TRIGGER leases_fault BEFORE INSERT ON leases
			BEGIN SELECT RAISE(ABORT, 'simulated fault'); END`;
		const answers: Answer[] = [];
		for (const s of [a, b]) {
			s.server.db.$client.exec(fault);
			try {
				await s.warm(s.me);
				answers.push(await s.send({ path: `/review/${s.batchId}/next`, body: '{}' }));
			} finally {
				s.server.db.$client.exec('DROP TRIGGER leases_fault');
			}
		}
		const [viaLane, plain] = answers;
		expect([viaLane.lane, plain.lane]).toEqual([true, false]);
		const errorIds = answers.map((x) => JSON.parse(x.seen.body).errorId as string);
		// Each server logged the fault with the id it gave, and gave away nothing else.
		expect(withLane.logs()).toContain(errorIds[0]);
		expect(without.logs()).toContain(errorIds[1]);
		const seen = answers.map((x, i) => ({
			...x.seen,
			body: x.seen.body.replace(errorIds[i], 'ID')
		}));
		expect(seen[0]).toEqual(seen[1]);
		expect(seen[0].status).toBe(500);
		expect(seen[0].body).not.toContain('simulated fault');
		// Nothing was left half done: the same researcher is handed an item once the fault is gone.
		for (const s of [a, b]) {
			await s.warm(s.me);
			const again = await s.send({ path: `/review/${s.batchId}/next`, body: '{}' });
			expect(again.seen.status).toBe(200);
			expect(itemOf(again)).toBeGreaterThan(0);
		}
	});

	it('leaves every request it is not sure of to SvelteKit, which answers it', async () => {
		const [a, b] = await Promise.all([stage(withLane), stage(without)]);
		const [laneAnswers, plainAnswers] = [await otherRequests(a), await otherRequests(b)];
		expect(laneAnswers.map((x) => x.lane)).toEqual(laneAnswers.map(() => false));
		expect(laneAnswers.map((x) => x.seen)).toEqual(plainAnswers.map((x) => x.seen));
		// Cross-site refused, the signed-out sent to log in, bodies over the limit refused; the
		// rest answered by the endpoint, or redirected to its path, or refused its method.
		expect(laneAnswers.map((x) => x.seen.status)).toEqual([
			403, 200, 200, 303, 303, 200, 200, 200, 308, 405, 413, 200, 413
		]);
	});
});
