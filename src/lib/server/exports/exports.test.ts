import { eq } from 'drizzle-orm';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp';
import { buildExportBatch } from '../../../../tests/support/export-fixture';
import { createTestDb } from '../../../../tests/support/db';
import type { AppDB } from '../db';
import { adjudications, auditEvents, exports, items, responses } from '../db/schema';
import { DomainError } from '../errors';
import { importFile } from '../imports';
import {
	exportOptionsSchema,
	openExportFile,
	previewExport,
	resolveBatchNames,
	runExport,
	type ExportOptionsInput
} from './index';

let db: AppDB;
let fixture: Awaited<ReturnType<typeof buildExportBatch>>;

beforeEach(async () => {
	db = createTestDb();
	fixture = await buildExportBatch(db, { lock: true });
});

function options(input: Partial<ExportOptionsInput> = {}) {
	return exportOptionsSchema.parse({ batchIds: [fixture.batchId], format: 'trl', ...input });
}

async function rows(input: Partial<ExportOptionsInput> = {}) {
	return (await previewExport(db, options(input), 1000)).rows as Record<string, unknown>[];
}

/** Pairs as "item: chosen>rejected margin", by the responses' external ids. */
async function pairs(input: Partial<ExportOptionsInput> = {}) {
	const content = new Map(
		db
			.select()
			.from(responses)
			.all()
			.map((r) => [r.content, r.externalId])
	);
	return (await rows({ includeMargin: true, ...input })).map((row) => {
		const meta = row.metadata as { item_id: string };
		return `${meta.item_id}: ${content.get(row.chosen as string)}>${content.get(row.rejected as string)} ${row.margin}`;
	});
}

async function counts(input: Partial<ExportOptionsInput> = {}) {
	const preview = await previewExport(db, options(input));
	return { in: preview.counts.itemsIn, out: preview.counts.itemsOut, rows: preview.counts.rows };
}

function adjudicate(externalId: string, decision: 'order' | 'exclude', order: string[][] = []) {
	db.insert(adjudications)
		.values({
			itemId: fixture.itemIds[externalId],
			batchId: fixture.batchId,
			decision,
			finalOrder:
				decision === 'order' ? order.map((g) => g.map((id) => fixture.responseIds[id])) : null,
			note: 'test',
			decidedBy: fixture.lead.id,
			decidedAt: new Date()
		})
		.run();
}

describe('pairs per strategy', () => {
	it('best-vs-worst gives one pair per item, flagged items left out', async () => {
		expect(await pairs({ strategy: 'best-vs-worst' })).toEqual([
			'e1: a>c 5.3333',
			'e2: x>y 0.3333',
			'e4: n>m 2',
			'e5: s>t 3'
		]);
	});

	it('best-vs-each pairs the best with every other response', async () => {
		expect(await pairs({ strategy: 'best-vs-each' })).toEqual([
			'e1: a>b 2.6667',
			'e1: a>c 5.3333',
			'e2: x>y 0.3333',
			'e4: n>m 2',
			'e5: s>t 3'
		]);
	});

	it('all-pairs gives every ordered pair', async () => {
		expect(await pairs({ strategy: 'all-pairs' })).toEqual([
			'e1: a>b 2.6667',
			'e1: a>c 5.3333',
			'e1: b>c 2.6667',
			'e2: x>y 0.3333',
			'e4: n>m 2',
			'e5: s>t 3'
		]);
	});
});

describe('filters', () => {
	it('keeps flagged items when asked', async () => {
		expect(await pairs({ excludeFlagged: false })).toContain('e3: p>q 4');
		expect(await counts({ excludeFlagged: false })).toEqual({ in: 5, out: {}, rows: 5 });
		expect(await counts()).toEqual({ in: 4, out: { flagged: 1 }, rows: 4 });
	});

	it('drops items with fewer reviews than the minimum', async () => {
		expect(await pairs({ minReviews: 3 })).toEqual([
			'e1: a>c 5.3333',
			'e2: x>y 0.3333',
			'e5: s>t 3'
		]);
		expect((await counts({ minReviews: 3 })).out).toEqual({ flagged: 1, fewReviews: 1 });
	});

	it('drops items whose reviewers disagree more than allowed', async () => {
		expect(await pairs({ minAgreement: 0.5 })).toEqual([
			'e1: a>c 5.3333',
			'e4: n>m 2',
			'e5: s>t 3'
		]);
		expect((await counts({ minAgreement: 0.5 })).out).toEqual({ flagged: 1, lowAgreement: 1 });
	});

	it('keeps only pairs at or above the minimum margin', async () => {
		expect(await pairs({ strategy: 'all-pairs', minMargin: 2.5 })).toEqual([
			'e1: a>b 2.6667',
			'e1: a>c 5.3333',
			'e1: b>c 2.6667',
			'e5: s>t 3'
		]);
		expect(await pairs({ strategy: 'all-pairs', minMargin: 4 })).toEqual(['e1: a>c 5.3333']);
		expect((await counts({ minMargin: 4 })).out).toEqual({ flagged: 1, belowMargin: 3 });
	});

	it('follows adjudications: an excluded item is out, a set order replaces the consensus', async () => {
		adjudicate('e1', 'exclude');
		adjudicate('e2', 'order', [['y'], ['x']]);
		expect(await pairs({ minAgreement: 0.5 })).toEqual([
			'e2: y>x -0.3333',
			'e4: n>m 2',
			'e5: s>t 3'
		]);
		expect((await counts()).out).toEqual({ excluded: 1, flagged: 1 });
	});

	it('says when an item has nothing to pair, apart from pairs below the margin', async () => {
		adjudicate('e4', 'order', [['m', 'n']]);
		expect((await counts()).out).toEqual({ flagged: 1, noPairs: 1 });
		expect((await counts({ minMargin: 1 })).out).toEqual({
			flagged: 1,
			noPairs: 1,
			belowMargin: 1
		});
	});

	it('refuses unlocked batches unless asked, and then warns', async () => {
		const open = await buildExportBatch(db);
		const unlocked = { batchIds: [open.batchId], format: 'trl' as const };
		await expect(previewExport(db, exportOptionsSchema.parse(unlocked))).rejects.toThrow(
			DomainError
		);
		const preview = await previewExport(
			db,
			exportOptionsSchema.parse({ ...unlocked, lockedOnly: false })
		);
		expect(preview.warnings).toEqual([expect.stringContaining('not locked')]);
		expect(preview.counts.itemsIn).toBe(4);
	});

	it('finds batches by name for the API and the command line, and names the one missing', async () => {
		const other = await buildExportBatch(db);
		expect(resolveBatchNames(db, [other.name, ` ${fixture.name} `])).toEqual([
			other.batchId,
			fixture.batchId
		]);
		expect(() => resolveBatchNames(db, [fixture.name, 'no such batch'])).toThrow(
			expect.objectContaining({
				name: 'DomainError',
				status: 404,
				message: 'There is no batch named "no such batch".'
			})
		);
	});
});

describe('formats', () => {
	const metadata = () => ({
		item_id: 'e1',
		trait_key: 'warmth',
		trait_version: 1,
		batch: fixture.name,
		review_count: 3,
		agreement: 1
	});

	it('TRL standard: prompt, chosen, rejected as text, margin only when asked', async () => {
		const [first, second] = await rows();
		expect(first).toEqual({
			prompt: 'I failed my driving test again.',
			chosen: "That's rough. Want to go over what tripped you up?",
			rejected: 'Practice more.',
			metadata: metadata()
		});
		expect(second.prompt).toBe('System: Be kind.\n\nUser: My cat died today.');
		expect(Object.keys((await rows({ includeMargin: true }))[0])).toEqual([
			'prompt',
			'chosen',
			'rejected',
			'margin',
			'metadata'
		]);
	});

	it('TRL conversational: message lists', async () => {
		const [, second] = await rows({ format: 'trl-conversational' });
		expect(second).toEqual({
			prompt: [
				{ role: 'system', content: 'Be kind.' },
				{ role: 'user', content: 'My cat died today.' }
			],
			chosen: [{ role: 'assistant', content: "I'm so sorry. Losing a companion hurts." }],
			rejected: [{ role: 'assistant', content: 'Cats live about 15 years.' }],
			metadata: { ...metadata(), item_id: 'e2', agreement: -0.3333 }
		});
	});

	it('KTO: one labelled completion per side of each pair', async () => {
		const lines = await rows({ format: 'kto', strategy: 'all-pairs' });
		expect(Object.keys(lines[0])).toEqual(['prompt', 'completion', 'label', 'metadata']);
		// e1's middle response b is preferred to c and not to a: it appears once with each label.
		const e1 = lines.filter((l) => (l.metadata as { item_id: string }).item_id === 'e1');
		expect(e1.map((l) => [l.completion, l.label])).toEqual([
			["That's rough. Want to go over what tripped you up?", true],
			['Many people need several attempts.', false],
			['Practice more.', false],
			['Many people need several attempts.', true]
		]);
	});

	it('OpenAI DPO: input messages, preferred and non-preferred output, metadata when asked', async () => {
		const [first] = await rows({ format: 'openai', includeMetadata: true });
		expect(Object.keys((await rows({ format: 'openai' }))[0])).not.toContain('metadata');
		expect(first).toEqual({
			input: { messages: [{ role: 'user', content: 'I failed my driving test again.' }] },
			preferred_output: [
				{ role: 'assistant', content: "That's rough. Want to go over what tripped you up?" }
			],
			non_preferred_output: [{ role: 'assistant', content: 'Practice more.' }],
			metadata: metadata()
		});
	});

	it('Anthropic HH: transcripts, with the system prompt folded into the human turn', async () => {
		const [first, second] = await rows({ format: 'hh' });
		expect(Object.keys(first)).toEqual(['chosen', 'rejected', 'metadata']);
		expect(second.chosen).toBe(
			"\n\nHuman: Be kind.\n\nMy cat died today.\n\nAssistant: I'm so sorry. Losing a companion hurts."
		);
		expect(second.rejected).toBe(
			'\n\nHuman: Be kind.\n\nMy cat died today.\n\nAssistant: Cats live about 15 years.'
		);
	});

	it('raw reviews JSONL: every judgement, reviewers under pseudonyms', async () => {
		const lines = await rows({ format: 'reviews-jsonl' });
		expect(lines).toHaveLength(11); // e3 is flagged and left out
		expect(lines[0]).toEqual({
			batch: fixture.name,
			item_id: 'e1',
			trait_key: 'warmth',
			trait_version: 1,
			reviewer: 'reviewer-1',
			responses: [
				{
					position: 0,
					external_id: 'a',
					model: 'm1',
					score: 7,
					rank: 1,
					comment: '',
					evidence: []
				},
				{
					position: 1,
					external_id: 'b',
					model: 'm2',
					score: 4,
					rank: 2,
					comment: '',
					evidence: []
				},
				{ position: 2, external_id: 'c', model: 'm3', score: 1, rank: 3, comment: '', evidence: [] }
			],
			overall_comment: '',
			flags: [],
			time_spent_ms: 60000,
			submitted_at: '2026-11-20T09:00:00.000Z',
			metadata: metadata()
		});
		expect(new Set(lines.map((l) => l.reviewer))).toEqual(
			new Set(['reviewer-1', 'reviewer-2', 'reviewer-3'])
		);
		expect(JSON.stringify(lines)).not.toContain(fixture.reviewers[0].username);
	});
});

describe('written exports', () => {
	const dir = () => makeTempDir('exports-');

	async function fileOf(input: Partial<ExportOptionsInput>, where = dir()) {
		const record = await runExport(db, fixture.lead.id, options(input), { dir: where });
		const text = readFileSync(join(where, record.fileName), 'utf8');
		return { record, text };
	}

	it('neutralises spreadsheet formulas in CSV cells', async () => {
		const { text, record } = await fileOf({ format: 'reviews-csv' });
		const lines = text.trimEnd().split('\n');
		expect(lines[0]).toBe(
			'batch,item_id,trait_key,trait_version,reviewer,response_position,response_external_id,model,score,rank,comment,overall_comment,flags,time_spent_ms,submitted_at,review_count,agreement,evidence'
		);
		expect(record.rowCount).toBe(lines.length - 1);
		expect(lines).toHaveLength(1 + 3 * 3 + 3 * 2 + 2 * 2 + 3 * 2);
		expect(text).toContain(",'=1+1,'-2 then @SUM(A1),");
		for (const cell of lines.flatMap((l) => l.split(','))) {
			expect(cell).not.toMatch(/^"?[=+@]/);
		}
	});

	it('gives the same bytes and the same SHA-256 for the same settings, and records each run', async () => {
		const where = dir();
		const first = await fileOf({ strategy: 'all-pairs' }, where);
		const second = await fileOf({ strategy: 'all-pairs' }, where);
		expect(second.record.id).not.toBe(first.record.id);
		expect(second.record.sha256).toBe(first.record.sha256);
		expect(second.text).toBe(first.text);
		const { createHash } = await import('node:crypto');
		expect(createHash('sha256').update(first.text).digest('hex')).toBe(first.record.sha256);
		const downloaded: Buffer[] = [];
		for await (const chunk of openExportFile(first.record, where)) downloaded.push(chunk);
		expect(Buffer.concat(downloaded).toString('utf8')).toBe(first.text);
		expect(first.record).toMatchObject({ rowCount: 6, itemsIn: 4, itemsOut: { flagged: 1 } });
		expect(first.record.card).toContain(`SHA-256:** \`${first.record.sha256}\``);
		expect(first.record.card).toContain('- Pairs: 6');
		const audit = db
			.select()
			.from(auditEvents)
			.where(eq(auditEvents.action, 'export.create'))
			.all();
		expect(audit).toHaveLength(2);
		expect(first.record.card).toContain(`# Trait Review export ${first.record.id}`);
		expect(second.record.card).toContain(`# Trait Review export ${second.record.id}`);
	});

	it('keeps export records immutable', async () => {
		const { record } = await fileOf({});
		const update = () =>
			db.update(exports).set({ rowCount: 0 }).where(eq(exports.id, record.id)).run();
		expect(update).toThrow(/immutable/);
		expect(() => db.delete(exports).where(eq(exports.id, record.id)).run()).toThrow(/immutable/);
		expect(db.select().from(exports).get()).toMatchObject({ rowCount: record.rowCount });
	});

	it('re-imported with the TRL importer, a TRL export gives back the same pairs', async () => {
		for (const format of ['trl', 'trl-conversational'] as const) {
			const { text } = await fileOf({ format, strategy: 'all-pairs' });
			const exported = text
				.trimEnd()
				.split('\n')
				.map((line) => JSON.parse(line) as { prompt: unknown; chosen: unknown; rejected: unknown });
			const path = join(dir(), `${format}.jsonl`);
			writeFileSync(path, text);
			const result = await importFile(db, path, {
				actorId: fixture.lead.id,
				format: 'trl',
				batch: `reimport-${format}`,
				constitution: `reimport-${format}`,
				traitKey: 'warmth'
			});
			if (!result.ok || result.kind !== 'batch') throw new Error(JSON.stringify(result));
			const reimported = db
				.select()
				.from(items)
				.where(eq(items.batchId, result.batchId))
				.orderBy(items.id)
				.all()
				.map((item) => {
					const [chosen, rejected] = db
						.select()
						.from(responses)
						.where(eq(responses.itemId, item.id))
						.orderBy(responses.aiRank)
						.all();
					return { prompt: item.prompt, chosen: chosen.content, rejected: rejected.content };
				});
			const text2 = (v: unknown) =>
				typeof v === 'string' ? v : (v as { content: string }[]).map((m) => m.content).join('');
			expect(reimported).toEqual(
				exported.map((line) => ({
					prompt:
						typeof line.prompt === 'string'
							? [{ role: 'user', content: line.prompt }]
							: line.prompt,
					chosen: text2(line.chosen),
					rejected: text2(line.rejected)
				}))
			);
		}
	});
});
