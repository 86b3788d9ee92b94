import { makeTempDir } from '../../../../tests/support/temp';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildExportBatch } from '../../../../tests/support/export-fixture';
import { adjudicateItem, clearAdjudication } from '../adjudication';
import { openDatabase, type AppDB } from '../db';
import { exportOptionsSchema, isBatchExported, runExport } from './index';

// A database file, not memory: the export reads from its own snapshot connection, as in use.
let folder: string;
let db: AppDB;
let fixture: Awaited<ReturnType<typeof buildExportBatch>>;

beforeEach(async () => {
	folder = makeTempDir('export-freeze-');
	db = openDatabase(join(folder, 'test.db'));
	fixture = await buildExportBatch(db, { lock: true });
});
afterEach(() => {
	db.$client.close();
	rmSync(folder, { recursive: true, force: true });
});

const dir = () => join(folder, 'exports');
const exclude = (externalId: string) =>
	adjudicateItem(db, fixture.lead.id, fixture.batchId, fixture.itemIds[externalId], {
		decision: 'exclude',
		note: 'off-topic'
	});

/** Runs an export, calling `meanwhile` once while it writes (between chunks). */
function exportWhile(meanwhile: () => void) {
	let done = false;
	return runExport(
		db,
		fixture.lead.id,
		exportOptionsSchema.parse({ batchIds: [fixture.batchId], format: 'reviews-jsonl' }),
		{
			dir: dir(),
			onProgress: () => {
				if (!done) meanwhile();
				done = true;
			}
		}
	);
}

const itemsIn = (fileName: string) =>
	new Set(
		readFileSync(join(dir(), fileName), 'utf8')
			.trimEnd()
			.split('\n')
			.map((line) => (JSON.parse(line) as { item_id: string }).item_id)
	);

describe('decisions made while an export runs', () => {
	// e2 starts excluded; the decision meanwhile excludes e1, or brings e2 back.
	it.each([
		{ change: 'a new decision', decide: () => exclude('e1'), after: { e1: false, e2: false } },
		{
			change: 'a cleared decision',
			decide: () => clearAdjudication(db, fixture.lead.id, fixture.batchId, fixture.itemIds.e2),
			after: { e1: true, e2: true }
		}
	])('$change is never frozen without being in the file', async ({ decide, after }) => {
		exclude('e2');
		await expect(exportWhile(decide)).rejects.toThrow(/changed while the export was being written/);
		// Nothing recorded, nothing left behind: the decision is not frozen, and can change.
		expect(isBatchExported(db, fixture.batchId)).toBe(false);
		expect(readdirSync(dir())).toEqual([]);

		// Run again, the export holds the decision, which is now final.
		const record = await exportWhile(() => {});
		const items = itemsIn(record.fileName);
		expect({ e1: items.has('e1'), e2: items.has('e2') }).toEqual(after);
		expect(isBatchExported(db, fixture.batchId)).toBe(true);
		expect(() => exclude('e4')).toThrow(/final/);
	});

	it('records the export when the decisions did not change', async () => {
		exclude('e1');
		const record = await exportWhile(() => {});
		expect(itemsIn(record.fileName).has('e1')).toBe(false);
		expect(isBatchExported(db, fixture.batchId)).toBe(true);
	});
});
