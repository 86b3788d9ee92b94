// Reviews made elsewhere over HTTP: the lead page's upload, a bad file refused by the API
// with nothing written, and external reviewers kept out of login and sessions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/lib/server/api-tokens';
import { LOGIN_FAILED_MESSAGE } from '../../src/lib/server/auth/login';
import { findUserForLogin } from '../../src/lib/server/users';
import { makeUser } from '../support/factories';
import { postAction, sessionCookieFor } from '../support/http';
import { importGeneratedBatch } from '../support/review-batches';
import { reviewLine, reviewsJsonl } from '../support/review-lines';
import { startServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { snapshotDatabase } from '../support/snapshot';

let server: TestServer;
let leadId: number;
let batchId: number;
let token: string;

beforeAll(async () => {
	server = await startServer();
	const admin = await makeUser(server.db, { role: 'admin' });
	leadId = (await makeUser(server.db, { role: 'lead' })).id;
	({ batchId } = await importGeneratedBatch(server.db, leadId, { items: 3, overlap: 3 }));
	token = createApiToken(server.db, admin.id, leadId, 'reviews').token;
});
afterAll(() => server?.stop());

const countReviews = () =>
	(server.db.$client.prepare(`SELECT count(*) AS n FROM reviews`).get() as { n: number }).n;

describe('the import page', () => {
	it('imports an uploaded file and says who each reviewer became', async () => {
		const form = new FormData();
		const text = reviewsJsonl([reviewLine(1, 'reviewer-1'), reviewLine(2, 'reviewer-1')]);
		form.set('file', new File([text], 'reviews.jsonl', { type: 'application/x-ndjson' }));
		form.set('map', '');
		form.set('source', 'Page Lab');
		const res = await fetch(`${server.url}/batches/${batchId}/import-reviews?/import`, {
			method: 'POST',
			headers: {
				origin: server.url,
				accept: 'application/json',
				'x-sveltekit-action': 'true',
				cookie: sessionCookieFor(server.db, leadId)
			},
			body: form
		});
		const result = (await res.json()) as { type: string; data: string };
		expect(result.type, result.data).toBe('success');
		expect(result.data).toContain('ext-page-lab-reviewer-1');
		expect(countReviews()).toBe(2);
	});
});

describe('POST /api/v1/batches/:id/reviews', () => {
	it('refuses a file with one bad line with 422, naming the line, and writes nothing', async () => {
		const before = snapshotDatabase(server.db);
		const bad = reviewLine(3, 'reviewer-9');
		bad.responses[0].score = 99;
		const res = await fetch(`${server.url}/api/v1/batches/${batchId}/reviews?source=api-lab`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
			body: reviewsJsonl([reviewLine(1, 'reviewer-9'), bad])
		});
		expect(res.status).toBe(422);
		const body = (await res.json()) as { error: { code: string; issues: { line: number }[] } };
		expect(body.error.code).toBe('invalid_file');
		expect(body.error.issues.map((i) => i.line)).toEqual([2]);
		expect(snapshotDatabase(server.db)).toEqual(before);
	});
});

describe('an external reviewer', () => {
	it('cannot log in, with the same message as anyone refused', async () => {
		const external = findUserForLogin(server.db, 'ext-page-lab-reviewer-1')!;
		expect(external.external).toBe(true);
		for (const password of ['any long password at all', '!external']) {
			const result = await postAction(server.url, '/login', {
				username: external.username,
				password
			});
			expect(result).toMatchObject({ type: 'failure', status: 400 });
			expect(result.data).toContain(LOGIN_FAILED_MESSAGE);
		}
	});

	it('loses a session made before the account became external', async () => {
		const user = await makeUser(server.db);
		const cookie = sessionCookieFor(server.db, user.id);
		const home = await fetch(`${server.url}/account`, { redirect: 'manual', headers: { cookie } });
		expect(home.status).toBe(200);
		// Changed by another connection, as a command would: the server's memory of validated
		// sessions sees it within 50 ms (auth/session.ts), so wait for it rather than race it.
		server.db.$client.prepare(`UPDATE users SET external = 1 WHERE id = ?`).run(user.id);
		const after = await waitFor(async () => {
			const res = await fetch(`${server.url}/account`, { redirect: 'manual', headers: { cookie } });
			return res.status === 200 ? null : res;
		}, 'the session to be refused');
		expect(after.status).toBe(303);
		expect(after.headers.get('location')).toMatch(/^\/login/);
	});
});
