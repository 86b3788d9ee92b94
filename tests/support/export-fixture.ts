// A hand-built batch for the export tests: five items, three reviewers, known scores.
import { lockBatch } from '../../src/lib/server/batches';
import type { AppDB } from '../../src/lib/server/db';
import type { ReviewFlag } from '../../src/lib/server/db/schema';
import { makeReview, makeUser } from './factories';
import { makeBatchFromFixture } from './fixture-batch';

type Judgement = {
	/** Score per response external id; ranks follow the scores, ties sharing a rank. */
	scores: Record<string, number>;
	comments?: Record<string, string>;
	flags?: ReviewFlag[];
	overallComment?: string;
};

/**
 * Scores per item (by external id), one entry per reviewer in reviewer order:
 * - e1: a clearly best, c clearly worst (means 6.667, 4, 1.333);
 * - e2: reviewers split on x and y (means 4.667 and 4.333, agreement -1/3);
 * - e3: everyone agrees, but reviewer 3 flags it unsafe;
 * - e4: two reviews only, n above m;
 * - e5: formula-looking text in a comment and an overall comment.
 */
export const EXPORT_JUDGEMENTS: Record<string, Judgement[]> = {
	e1: [
		{ scores: { a: 7, b: 4, c: 1 } },
		{ scores: { a: 6, b: 5, c: 2 } },
		{ scores: { a: 7, b: 3, c: 1 } }
	],
	e2: [{ scores: { x: 5, y: 4 } }, { scores: { x: 4, y: 5 } }, { scores: { x: 5, y: 4 } }],
	e3: [
		{ scores: { p: 6, q: 2 } },
		{ scores: { p: 6, q: 2 } },
		{ scores: { p: 6, q: 2 }, flags: ['unsafe'] }
	],
	e4: [{ scores: { m: 3, n: 5 } }, { scores: { m: 3, n: 5 } }],
	e5: [
		{ scores: { s: 5, t: 3 }, comments: { s: '=1+1' }, overallComment: '-2 then @SUM(A1)' },
		{ scores: { s: 6, t: 2 } },
		{ scores: { s: 5, t: 2 } }
	]
};

/** The fixture's batch, open, with the judgements as submitted reviews; optionally locked. */
export async function buildExportBatch(db: AppDB, options: { lock?: boolean } = {}) {
	const lead = await makeUser(db, { role: 'lead' });
	const reviewers = [
		await makeUser(db, { role: 'researcher' }),
		await makeUser(db, { role: 'researcher' }),
		await makeUser(db, { role: 'researcher' })
	];
	const name = `export-batch-${lead.id}`;
	const fixture = makeBatchFromFixture(db, 'export-items.jsonl', {
		name,
		status: 'open',
		openedAt: new Date(),
		createdBy: lead.id,
		overlap: 3,
		blind: true
	});
	const batchId = fixture.batch.id;
	const itemIds: Record<string, number> = {};
	const responseIds: Record<string, number> = {};
	const at = Date.UTC(2026, 10, 20, 9);
	for (const rows of fixture.items) {
		itemIds[rows.item.externalId] = rows.item.id;
		const keys = rows.responses.map((r) => r.externalId!);
		rows.responses.forEach((r, i) => (responseIds[keys[i]] = r.id));
		EXPORT_JUDGEMENTS[rows.item.externalId].forEach((judgement, i) => {
			makeReview(db, rows, reviewers[i].id, {
				scores: keys.map((key) => judgement.scores[key]),
				comments: keys.map((key) => judgement.comments?.[key] ?? ''),
				overallComment: judgement.overallComment,
				flags: judgement.flags,
				timeSpentMs: 60_000 * (i + 1),
				at: new Date(at),
				submittedAt: new Date(at + i * 1000)
			});
		});
	}
	if (options.lock) lockBatch(db, lead.id, batchId, true);
	return { lead, reviewers, batchId, name, itemIds, responseIds };
}
