// A hand-built batch for the export tests: five items, three reviewers, known scores.
import { eq } from 'drizzle-orm';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeUser } from './factories';
import { fixturePath } from './fixtures';
import { lockBatch, openBatch } from '../../src/lib/server/batches';
import type { AppDB } from '../../src/lib/server/db';
import { items, responses, type ReviewFlag } from '../../src/lib/server/db/schema';
import { importFile } from '../../src/lib/server/imports';

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

let copies = 0;

function competitionRanks(scores: Record<string, number>): Record<string, number> {
	const values = Object.values(scores);
	return Object.fromEntries(
		Object.entries(scores).map(([id, score]) => [id, 1 + values.filter((v) => v > score).length])
	);
}

/** Imports the fixture, records the judgements as submitted reviews, and optionally locks. */
export async function buildExportBatch(db: AppDB, options: { lock?: boolean } = {}) {
	const lead = await makeUser(db, { role: 'lead' });
	const reviewers = [
		await makeUser(db, { role: 'researcher' }),
		await makeUser(db, { role: 'researcher' }),
		await makeUser(db, { role: 'researcher' })
	];
	const copy = join(mkdtempSync(join(tmpdir(), 'export-fixture-')), 'export-items.jsonl');
	writeFileSync(
		copy,
		readFileSync(fixturePath('export-items.jsonl'), 'utf8') + '\n'.repeat(++copies)
	);
	const name = `export-batch-${lead.id}`;
	const result = await importFile(db, copy, {
		actorId: lead.id,
		batch: name,
		constitution: `export-constitution-${lead.id}`,
		settings: { overlap: 3, blind: true, calibration: false }
	});
	if (!result.ok || result.kind !== 'batch') throw new Error(JSON.stringify(result));
	const batchId = result.batchId;
	openBatch(db, lead.id, batchId);

	const c = db.$client;
	const insertReview = c.prepare(
		`INSERT INTO reviews (item_id, batch_id, user_id, status, trait_version_id, shown_order, overall_comment, flags, time_spent_ms, started_at, updated_at, submitted_at)
		 VALUES (?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	);
	const insertJudgement = c.prepare(
		`INSERT INTO review_responses (review_id, response_id, score, rank, comment) VALUES (?, ?, ?, ?, ?)`
	);
	const itemIds: Record<string, number> = {};
	const responseIds: Record<string, number> = {};
	const at = Date.UTC(2026, 10, 20, 9);
	for (const item of db.select().from(items).where(eq(items.batchId, batchId)).all()) {
		itemIds[item.externalId] = item.id;
		const rows = db.select().from(responses).where(eq(responses.itemId, item.id)).all();
		for (const r of rows) responseIds[r.externalId!] = r.id;
		EXPORT_JUDGEMENTS[item.externalId].forEach((judgement, i) => {
			const ranks = competitionRanks(judgement.scores);
			const { id } = insertReview.get(
				item.id,
				batchId,
				reviewers[i].id,
				item.traitVersionId,
				JSON.stringify(rows.map((r) => r.id)),
				judgement.overallComment ?? '',
				JSON.stringify(judgement.flags ?? []),
				60_000 * (i + 1),
				at,
				at,
				at + i * 1000
			) as { id: number };
			for (const r of rows) {
				const key = r.externalId!;
				insertJudgement.run(
					id,
					r.id,
					judgement.scores[key],
					ranks[key],
					judgement.comments?.[key] ?? ''
				);
			}
		});
		c.prepare(`UPDATE items SET submitted_count = ? WHERE id = ?`).run(
			EXPORT_JUDGEMENTS[item.externalId].length,
			item.id
		);
	}
	if (options.lock) lockBatch(db, lead.id, batchId, true);
	return { lead, reviewers, batchId, name, itemIds, responseIds };
}
