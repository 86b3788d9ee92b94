import { eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { buildExportBatch } from '../../../../tests/support/export-fixture';
import { makeTempDir } from '../../../../tests/support/temp';
import { EXPORT_FORMATS } from '$lib/export-options';
import type { AppDB } from '../db';
import { evidenceSpans, reviews } from '../db/schema';
import { exportOptionsSchema, extractTar, runExport } from '../exports';

/**
 * Evidence spans survive every export that can carry them: the raw review formats always, the
 * pair formats in `metadata` when `rationale` is on. Read back from the written files.
 */

let db: AppDB;
let fixture: Awaited<ReturnType<typeof buildExportBatch>>;

// e1's responses: a "That's rough. Want to go over what tripped you up?", c "Practice more."
const FOR_A = { start: 0, end: 12, stance: 'for', note: 'names the feeling', text: "That's rough" };
const AGAINST_C = { start: 0, end: 8, stance: 'against', note: null, text: 'Practice' };

beforeEach(async () => {
	db = createTestDb();
	fixture = await buildExportBatch(db, { lock: true });
	const e1Reviews = db
		.select({ id: reviews.id, userId: reviews.userId })
		.from(reviews)
		.where(eq(reviews.itemId, fixture.itemIds.e1))
		.orderBy(reviews.userId)
		.all();
	const mark = (reviewId: number, responseId: number, span: typeof FOR_A | typeof AGAINST_C) =>
		db
			.insert(evidenceSpans)
			.values({
				reviewId,
				responseId,
				start: span.start,
				end: span.end,
				stance: span.stance as 'for' | 'against',
				note: span.note,
				createdAt: new Date()
			})
			.run();
	mark(e1Reviews[0].id, fixture.responseIds.a, FOR_A);
	mark(e1Reviews[1].id, fixture.responseIds.c, AGAINST_C);
});

async function exported(format: (typeof EXPORT_FORMATS)[number], rationale: boolean) {
	const dir = makeTempDir('evidence-export-');
	const options = exportOptionsSchema.parse({
		batchIds: [fixture.batchId],
		format,
		rationale,
		includeMetadata: true
	});
	const record = await runExport(db, fixture.lead.id, options, { dir });
	return readFileSync(join(dir, record.fileName), 'utf8');
}

const jsonLines = (text: string) =>
	text
		.trimEnd()
		.split('\n')
		.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('evidence in exports', () => {
	it.each(EXPORT_FORMATS)('%s carries the spans', async (format) => {
		if (format === 'reviews-jsonl') {
			const lines = jsonLines(await exported(format, false));
			const e1 = lines.filter((l) => l.item_id === 'e1');
			type Entry = { external_id: string; evidence: object[] };
			const entries = e1.flatMap((l) => l.responses as Entry[]);
			expect(entries.find((r) => r.external_id === 'a' && r.evidence.length)?.evidence).toEqual([
				FOR_A
			]);
			expect(entries.find((r) => r.external_id === 'c' && r.evidence.length)?.evidence).toEqual([
				AGAINST_C
			]);
			// Every response entry has the list, empty when there is none.
			expect(
				lines.flatMap((l) => l.responses as Entry[]).every((r) => Array.isArray(r.evidence))
			).toBe(true);
			return;
		}
		if (format === 'reviews-csv') {
			const text = await exported(format, false);
			expect(text.split('\n')[0].endsWith(',evidence')).toBe(true);
			const cell = (spans: object[]) => `"${JSON.stringify(spans).replaceAll('"', '""')}"`;
			expect(text).toContain(cell([FOR_A]));
			expect(text).toContain(cell([AGAINST_C]));
			return;
		}
		// Off by default: the pair formats' lines are as they were.
		expect(await exported(format, false)).not.toContain('_evidence');
		const lines = jsonLines(await exported(format, true));
		type Span = { reviewer: string; text: string };
		const e1 = lines
			.map((l) => l.metadata as Record<string, unknown>)
			.filter((m) => m.item_id === 'e1');
		expect(e1.length).toBeGreaterThan(0);
		const all = e1.flatMap((m) =>
			Object.entries(m)
				.filter(([key]) => key.endsWith('_evidence'))
				.flatMap(([key, spans]) => (spans as Span[]).map((s) => ({ key, ...s })))
		);
		// e1's best-vs-worst pair is a over c: a's span is the chosen's, c's the rejected's.
		const chosen = format === 'kto' ? 'completion_evidence' : 'chosen_evidence';
		const rejected = format === 'kto' ? 'completion_evidence' : 'rejected_evidence';
		expect(all).toContainEqual({ key: chosen, reviewer: 'reviewer-1', ...FOR_A });
		expect(all).toContainEqual({ key: rejected, reviewer: 'reviewer-2', ...AGAINST_C });
	});

	it('carries them into a dataset folder too', async () => {
		const dir = makeTempDir('evidence-hf-');
		const options = exportOptionsSchema.parse({
			batchIds: [fixture.batchId],
			format: 'trl',
			rationale: true,
			output: 'hf-dataset'
		});
		const record = await runExport(db, fixture.lead.id, options, { dir });
		const out = makeTempDir('evidence-hf-out-');
		await extractTar(join(dir, record.fileName), out);
		const text = readFileSync(join(out, 'data', 'warmth', 'train.jsonl'), 'utf8');
		expect(text).toContain('"chosen_evidence":[{"reviewer":"reviewer-1"');
	});
});
