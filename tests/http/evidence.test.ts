// Evidence spans crafted the way a researcher could send them, past what the page allows:
// refused with a clear 4xx and nothing written.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceSpans, responses, reviews } from '../../src/lib/server/db/schema';
import { assignResearcher, claimNextItem } from '../../src/lib/server/reviews';
import { completeInput } from '../../src/lib/server/reviews/testing';
import { makeUser } from '../support/factories';
import { postAction, sessionCookieFor } from '../support/http';
import { importGeneratedBatch } from '../support/review-batches';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

describe('evidence in a review write', () => {
	it('refuses offsets outside the response text with a 400, writing nothing', async () => {
		const lead = await makeUser(server.db, { role: 'admin' });
		const { batchId } = await importGeneratedBatch(server.db, lead.id, { items: 2, overlap: 2 });
		const researcher = await makeUser(server.db, { role: 'researcher' });
		assignResearcher(server.db, lead.id, batchId, researcher.id, null);
		const itemId = claimNextItem(server.db, researcher.id, batchId).itemId!;
		const [response] = server.db.select().from(responses).where(eq(responses.itemId, itemId)).all();
		const post = (action: 'save' | 'submit', evidence: object[]) =>
			postAction(
				server.url,
				`/review/${batchId}/items/${itemId}?/${action}`,
				{
					payload: JSON.stringify({ ...completeInput(server.db, itemId), evidence })
				},
				sessionCookieFor(server.db, researcher.id)
			);
		const length = response.content.length;
		for (const action of ['save', 'submit'] as const) {
			const past = [{ responseId: response.id, start: 0, end: length + 1, stance: 'for' }];
			const result = await post(action, past);
			expect(result, action).toMatchObject({ type: 'failure', status: 400 });
			expect(result.data, action).toContain('past the end of its response');
			const backwards = [{ responseId: response.id, start: 5, end: 2, stance: 'against' }];
			expect((await post(action, backwards)).data).toContain('start before end');
		}
		expect(server.db.select().from(reviews).all()).toHaveLength(0);
		expect(server.db.select().from(evidenceSpans).all()).toHaveLength(0);
		// The same span inside the text is kept with the submit.
		const inside = [{ responseId: response.id, start: 0, end: length, stance: 'for' }];
		expect(await post('submit', inside)).toMatchObject({ status: 303 });
		expect(server.db.select().from(evidenceSpans).all()).toMatchObject([
			{ responseId: response.id, start: 0, end: length, stance: 'for' }
		]);
	});
});
