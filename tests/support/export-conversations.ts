// A locked batch of conversational prompts for the export format tests: system, developer and
// tool turns, a prompt that opens on the assistant, one with no user turn at all.
import type { AppDB } from '../../src/lib/server/db';
import { makeReview, makeUser } from './factories';
import { makeBatchFromFixture } from './fixture-batch';

/**
 * Items (tests/fixtures/export-conversations.jsonl), each with responses `good` then `bad`:
 * - c1 (helpfulness): system, developer, user, assistant, tool, user;
 * - c2 (helpfulness): an assistant's tool call and the tool's output, no user turn (Model Spec);
 * - c3 (trait `no`): one developer message and nothing else;
 * - c4 (trait `no`): user, a tool's output with no assistant turn before it, developer.
 * Two reviewers score `good` above `bad` on every item.
 */
export async function buildConversationBatch(db: AppDB) {
	const lead = await makeUser(db, { role: 'lead' });
	const reviewers = [
		await makeUser(db, { role: 'researcher' }),
		await makeUser(db, { role: 'researcher' })
	];
	const fixture = makeBatchFromFixture(db, 'export-conversations.jsonl', {
		name: `conversations-${lead.id}`,
		status: 'locked',
		openedAt: new Date(),
		createdBy: lead.id,
		overlap: 2
	});
	for (const rows of fixture.items) {
		for (const reviewer of reviewers) makeReview(db, rows, reviewer.id, { scores: [6, 2] });
	}
	return { lead, batchId: fixture.batch.id, name: fixture.batch.name };
}
