// Gold items in exports: left out of pairs unless the lead includes them; raw reviews keep them
// and say so in their metadata; the dataset card states which.
import { beforeEach, describe, expect, it } from 'vitest';
import { buildExportBatch } from '../../../../tests/support/export-fixture';
import { createTestDb } from '../../../../tests/support/db';
import { lockBatch } from '../batches';
import type { AppDB } from '../db';
import { markGold } from '../gold';
import { datasetCardSections } from './card';
import { exportOptionsSchema, previewExport, type ExportOptionsInput } from './index';

let db: AppDB;
let fixture: Awaited<ReturnType<typeof buildExportBatch>>;

beforeEach(async () => {
	db = createTestDb();
	fixture = await buildExportBatch(db);
	// e1 (a above b above c) is gold; then the batch is locked, as it would be for export.
	const [a, b, c] = ['a', 'b', 'c'].map((key) => fixture.responseIds[key]);
	markGold(db, fixture.lead.id, fixture.batchId, fixture.itemIds.e1, [[a], [b], [c]]);
	lockBatch(db, fixture.lead.id, fixture.batchId, true);
});

const options = (input: Partial<ExportOptionsInput> = {}) =>
	exportOptionsSchema.parse({ batchIds: [fixture.batchId], format: 'trl', ...input });

async function preview(input: Partial<ExportOptionsInput> = {}) {
	const result = await previewExport(db, options(input), 1000);
	const items = (result.rows as { metadata: { item_id: string; gold?: true } }[]).map(
		(row) => `${row.metadata.item_id}${row.metadata.gold ? ' gold' : ''}`
	);
	return { items: [...new Set(items)], counts: result.counts, drops: result.dropReasons };
}

describe('gold items in exports', () => {
	it('leaves gold items out of pairs by default, and says why', async () => {
		const { items, counts, drops } = await preview();
		expect(items).not.toContain('e1');
		expect(items).not.toContain('e1 gold');
		expect(counts.itemsOut).toMatchObject({ gold: 1 });
		expect(drops).toContainEqual({
			reason: 'gold item (pairs leave gold items out unless asked)',
			count: 1
		});
	});

	it('puts them in, marked, when the lead includes them', async () => {
		const { items, counts } = await preview({ includeGold: true });
		expect(items).toContain('e1 gold');
		expect(items.filter((i) => i.endsWith('gold'))).toEqual(['e1 gold']);
		expect(counts.itemsOut.gold).toBeUndefined();
	});

	it('keeps them in raw reviews, each line marked gold', async () => {
		const { items, counts } = await preview({ format: 'reviews-jsonl' });
		expect(items).toContain('e1 gold');
		expect(items).toContain('e2');
		expect(counts.itemsOut.gold).toBeUndefined();
	});

	it('takes the option from a form and from JSON, off unless given', () => {
		expect(options().includeGold).toBe(false);
		expect(options({ includeGold: true }).includeGold).toBe(true);
		expect(
			exportOptionsSchema.parse({ batchIds: [1], format: 'trl', includeGold: 'on' }).includeGold
		).toBe(true);
		expect(
			exportOptionsSchema.safeParse({ batchIds: [1], format: 'trl', includeGold: 'maybe' }).success
		).toBe(false);
	});

	it('states on the dataset card what became of gold items', () => {
		const card = (input: Partial<ExportOptionsInput>) =>
			datasetCardSections({
				options: options(input),
				batches: [],
				warnings: [],
				counts: { itemsIn: 0, itemsOut: {}, rows: 0 },
				agreement: [],
				createdBy: null
			}).join('\n');
		expect(card({})).toContain('- Gold items: left out');
		expect(card({ includeGold: true })).toContain('- Gold items: included');
		expect(card({ format: 'reviews-jsonl' })).toContain(
			'- Gold items: kept, marked `gold: true` in their metadata'
		);
	});
});
