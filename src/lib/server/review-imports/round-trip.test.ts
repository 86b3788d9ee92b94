// The "done when": reviews exported from one instance as reviews-jsonl and imported
// into a fresh instance holding the same items give the same alpha, overall and per trait, and
// the same training pairs; and the running tallies still match a full recount.
import { mulberry32 } from '$lib/prng';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import { submitReview } from '../../../../tests/support/review-batches';
import { makeTempDir } from '../../../../tests/support/temp';
import { openBatch } from '../batches';
import { batchAgreement, batchDashboard, recountDashboard } from '../dashboard';
import type { AppDB } from '../db';
import { exportOptionsSchema, runExport } from '../exports';
import { importFile } from '../imports';
import { assignResearcher } from '../reviews';
import { importReviews } from './index';

const SCALE = 5;
const TRAITS = ['warmth', 'curiosity', 'candour'];

/** Items of three traits; some responses carry ids, some are known only by position. */
function itemLines(random: () => number): string {
	return Array.from({ length: 12 }, (_, i) =>
		JSON.stringify({
			id: `item-${i}`,
			trait: TRAITS[i % TRAITS.length],
			prompt: `Prompt ${i}`,
			responses: Array.from({ length: 2 + Math.floor(random() * 3) }, (_, p) => ({
				...(i % 2 ? { id: `r${p}` } : {}),
				model: `m${p % 2}`,
				// An astral character: offsets count UTF-16 units on both sides.
				content: `Response ${p} to item ${i} 🙂.`
			}))
		})
	).join('\n');
}

async function instanceWithItems(itemFile: string) {
	const db = createTestDb();
	const lead = await makeUser(db, { role: 'lead' });
	const result = await importFile(db, itemFile, {
		actorId: lead.id,
		batch: 'Round trip',
		constitution: 'Character',
		settings: { overlap: 3, scalePoints: SCALE }
	});
	if (!result.ok || result.kind !== 'batch') throw new Error(JSON.stringify(result));
	openBatch(db, lead.id, result.batchId);
	return { db, leadId: lead.id, batchId: result.batchId };
}

/** Evidence on some reviews: the first response's opening word, the last one's whole text. */
function evidenceFor(ids: number[], contents: string[], random: () => number) {
	if (random() < 0.4) return [];
	const last = ids.length - 1;
	return [
		{ responseId: ids[0], start: 0, end: 8, stance: 'for', note: random() < 0.5 ? 'opens' : null },
		{ responseId: ids[last], start: 0, end: contents[last].length, stance: 'against' }
	];
}

/**
 * Three of four researchers review each item, with random scores, ranks (ties), flags and
 * evidence spans.
 */
async function reviewEverything(db: AppDB, leadId: number, batchId: number, seed: number) {
	const random = mulberry32(seed);
	const researchers = [];
	for (let r = 0; r < 4; r++) {
		const { id } = await makeUser(db);
		assignResearcher(db, leadId, batchId, id, null);
		researchers.push(id);
	}
	const items = db.$client
		.prepare(`SELECT id FROM items WHERE batch_id = ? ORDER BY id`)
		.all(batchId) as { id: number }[];
	for (const [n, { id: itemId }] of items.entries()) {
		const rows = db.$client
			.prepare(`SELECT id, content FROM responses WHERE item_id = ? ORDER BY position`)
			.all(itemId) as { id: number; content: string }[];
		const ids = rows.map((r) => r.id);
		for (const userId of researchers.filter((_, r) => r !== n % 4)) {
			const values = ids.map(() => Math.floor(random() * 3));
			submitReview(
				db,
				userId,
				itemId,
				{
					scores: Object.fromEntries(ids.map((id) => [id, 1 + Math.floor(random() * SCALE)])),
					ranks: Object.fromEntries(
						ids.map((id, i) => [id, 1 + values.filter((v) => v > values[i]).length])
					),
					comments: { [ids[0]]: `first, by ${userId}` },
					overallComment: random() < 0.5 ? 'fine' : '',
					flags: random() < 0.2 ? ['unsafe'] : [],
					timeSpentMs: Math.floor(random() * 100_000),
					evidence: evidenceFor(
						ids,
						rows.map((r) => r.content),
						random
					)
				},
				new Date(Date.UTC(2026, 0, 1) + n * 3600_000)
			);
		}
	}
}

async function exportFile(db: AppDB, leadId: number, batchId: number, format: string, dir: string) {
	const options = exportOptionsSchema.parse({
		batchIds: [batchId],
		format,
		lockedOnly: false,
		excludeFlagged: false
	});
	const record = await runExport(db, leadId, options, { dir });
	return readFileSync(join(dir, record.fileName), 'utf8');
}

/** Numbers to 12 significant digits, so sums in another order compare equal. */
const rounded = (value: unknown) =>
	JSON.parse(
		JSON.stringify(value, (_, v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v))
	);

describe('the reviews round trip', () => {
	it('gives the same alpha and the same pairs in a fresh instance', async () => {
		const dir = makeTempDir('review-round-trip-');
		const itemFile = join(dir, 'items.jsonl');
		writeFileSync(itemFile, itemLines(mulberry32(7)) + '\n');

		const a = await instanceWithItems(itemFile);
		await reviewEverything(a.db, a.leadId, a.batchId, 11);
		const reviewsFile = join(dir, 'reviews.jsonl');
		writeFileSync(
			reviewsFile,
			await exportFile(a.db, a.leadId, a.batchId, 'reviews-jsonl', join(dir, 'a'))
		);

		const b = await instanceWithItems(itemFile);
		const result = await importReviews(b.db, reviewsFile, {
			batchId: b.batchId,
			actorId: b.leadId
		});
		expect(result).toMatchObject({ ok: true, reviews: 36, items: 12 });
		if (!result.ok) return;
		expect(result.reviewers.map((r) => [r.external, r.created])).toEqual(
			Array.from({ length: 4 }, () => [true, true])
		);

		const [alphaA, alphaB] = [batchAgreement(a.db, a.batchId), batchAgreement(b.db, b.batchId)];
		expect(alphaB.ratings).toBe(alphaA.ratings);
		expect(alphaA.overall.interval).not.toBeNull();
		for (const kind of ['ordinal', 'interval'] as const) {
			expect(Math.abs(alphaB.overall[kind]! - alphaA.overall[kind]!)).toBeLessThanOrEqual(1e-12);
		}
		expect(alphaB.byTrait.map((t) => t.key)).toEqual(alphaA.byTrait.map((t) => t.key));
		alphaA.byTrait.forEach((trait, i) => {
			for (const kind of ['ordinal', 'interval'] as const) {
				const other = alphaB.byTrait[i][kind];
				expect(trait[kind] === null ? other : Math.abs(other! - trait[kind]!)).toBeLessThanOrEqual(
					1e-12
				);
			}
		});

		// Pairs carry no reviewer, so the files are the same byte for byte.
		const pairsA = await exportFile(a.db, a.leadId, a.batchId, 'trl', join(dir, 'pa'));
		const pairsB = await exportFile(b.db, b.leadId, b.batchId, 'trl', join(dir, 'pb'));
		expect(pairsA.length).toBeGreaterThan(0);
		expect(pairsB).toBe(pairsA);
		// The raw reviews too, apart from the pseudonyms: they follow the order of user ids, and
		// the external reviewers are made in the order the file first names them.
		const again = await exportFile(b.db, b.leadId, b.batchId, 'reviews-jsonl', join(dir, 'b'));
		const unnamed = (text: string) => text.replace(/"reviewer":"reviewer-\d+"/g, '"reviewer":"?"');
		expect(unnamed(again)).toBe(unnamed(readFileSync(reviewsFile, 'utf8')));
		// The evidence spans above all: each line's, response by response, with its text.
		const evidence = (text: string) =>
			text
				.trimEnd()
				.split('\n')
				.map((l) => (JSON.parse(l) as { responses: { evidence: unknown[] }[] }).responses)
				.map((responses) => responses.map((r) => r.evidence));
		const spansA = evidence(readFileSync(reviewsFile, 'utf8'));
		expect(spansA.flat(2).length).toBeGreaterThan(20);
		expect(spansA.flat(2)).toContainEqual(expect.objectContaining({ text: 'Response' }));
		expect(evidence(again)).toEqual(spansA);
		const stored = (db: AppDB) =>
			db.$client.prepare(`SELECT count(*) AS n FROM evidence_spans`).get() as { n: number };
		expect(stored(b.db)).toEqual(stored(a.db));

		const fast = await batchDashboard(b.db, b.batchId, { showNames: true });
		const full = await recountDashboard(b.db, b.batchId, { showNames: true });
		expect(rounded(fast)).toEqual(rounded(full));
		expect(fast.progress.done).toBe(36);
	});
});
