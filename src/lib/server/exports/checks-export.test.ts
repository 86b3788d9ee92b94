import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildChecksBatch } from '../../../../tests/support/checks-fixture';
import { createTestDb } from '../../../../tests/support/db';
import { makeTempDir } from '../../../../tests/support/temp';
import type { AppDB } from '../db';
import {
	exportOptionsSchema,
	extractTar,
	previewExport,
	runExport,
	type ExportOptionsInput
} from './index';

let db: AppDB;
let fixture: Awaited<ReturnType<typeof buildChecksBatch>>;

beforeEach(async () => {
	db = createTestDb();
	fixture = await buildChecksBatch(db);
});

const options = (input: Partial<ExportOptionsInput> = {}) =>
	exportOptionsSchema.parse({ batchIds: [fixture.batchId], format: 'trl', ...input });

/** The item ids of the lines a preview would write, in order. */
async function writtenItems(input: Partial<ExportOptionsInput> = {}) {
	const preview = await previewExport(db, options(input), 100);
	return preview.rows.map((row) => (row as { metadata: { item_id: string } }).metadata.item_id);
}

async function findings(input: Partial<ExportOptionsInput> = {}) {
	const { screening } = await previewExport(db, options(input));
	return Object.fromEntries(
		(screening?.checks ?? []).map((c) => [
			c.key,
			{ count: c.count, dropped: c.dropped, ids: c.itemIds.ids }
		])
	);
}

describe('content checks in an export', () => {
	it('finds each problem with its item ids, and drops empty and identical pairs by default', async () => {
		expect(await findings()).toEqual({
			promptEnd: { count: 1, dropped: 0, ids: ['k2'] },
			roles: { count: 0, dropped: 0, ids: [] },
			placeholder: { count: 1, dropped: 0, ids: ['k1'] },
			empty: { count: 1, dropped: 1, ids: ['k2'] },
			identical: { count: 1, dropped: 1, ids: ['k3'] }
		});
		expect(await writtenItems()).toEqual(['k1', 'k4', 'k5', 'k6', 'k7']);
		const preview = await previewExport(db, options());
		expect(preview.counts.itemsOut).toEqual({ contentChecks: 2 });
		expect(preview.dropReasons).toEqual([
			{ reason: 'every pair dropped by a content check', count: 2 }
		]);
	});

	it('writes what a check keeps and leaves out what it drops', async () => {
		expect(
			await writtenItems({ checks: { empty: 'keep', identical: 'keep', placeholder: 'drop' } })
		).toEqual(['k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
		expect(await writtenItems({ checks: { promptEnd: 'drop', empty: 'keep' } })).toEqual([
			'k1',
			'k4',
			'k5',
			'k6',
			'k7'
		]);
	});

	it('finds the roles each format cannot carry, from the format itself', async () => {
		expect((await findings({ format: 'openai' })).roles).toEqual({
			count: 1,
			dropped: 0,
			ids: ['k4']
		});
		expect((await findings({ format: 'hh' })).roles.ids).toEqual(['k4']);
		// TRL's conversational prompt keeps every turn as imported.
		expect((await findings({ format: 'trl-conversational' })).roles.count).toBe(0);
		expect(
			await writtenItems({ format: 'openai', includeMetadata: true, checks: { roles: 'drop' } })
		).not.toContain('k4');
	});

	it('leaves the checks out of raw-review formats, which write no pairs', async () => {
		expect((await previewExport(db, options({ format: 'reviews-jsonl' }))).screening).toBeNull();
	});

	it('refuses a check action that is not drop or keep, and a check it does not know', () => {
		expect(
			exportOptionsSchema.safeParse({ ...options(), checks: { empty: 'maybe' } }).success
		).toBe(false);
		expect(
			exportOptionsSchema.safeParse({ ...options(), checks: { spelling: 'drop' } }).success
		).toBe(false);
		expect(exportOptionsSchema.safeParse({ ...options(), pairing: 'sometimes' }).success).toBe(
			false
		);
	});
});

describe('conflicts between traits in an export', () => {
	it('reports the pair two traits order both ways, and writes it per trait', async () => {
		const { screening } = await previewExport(db, options());
		expect(screening?.conflicts).toMatchObject({ compared: 1, count: 1, dropped: 0 });
		expect(screening?.conflicts.conflicts).toEqual([
			{
				responses: ['s1', 's2'],
				first: { itemId: 'k5', traitKey: 'warmth', chosen: 's1', rejected: 's2' },
				second: { itemId: 'k6', traitKey: 'curiosity', chosen: 's2', rejected: 's1' }
			}
		]);
		expect(await writtenItems()).toContain('k6');
	});

	it('leaves contradicted pairs out when pairs must agree on every trait', async () => {
		expect(await writtenItems({ pairing: 'agree-all-traits' })).toEqual(['k1', 'k4', 'k7']);
		const preview = await previewExport(db, options({ pairing: 'agree-all-traits' }));
		expect(preview.screening?.conflicts.dropped).toBe(2);
		expect(preview.counts.itemsOut).toMatchObject({ conflicts: 2 });
	});
});

describe('the dataset card', () => {
	it('records what each check found and dropped, and the conflicts', async () => {
		const dir = makeTempDir();
		const record = await runExport(
			db,
			fixture.lead.id,
			options({ checks: { placeholder: 'drop' }, pairing: 'agree-all-traits' }),
			{ dir }
		);
		expect(record.settings).toMatchObject({
			checks: { placeholder: 'drop', empty: 'drop', promptEnd: 'keep' },
			pairing: 'agree-all-traits'
		});
		expect(record.card).toContain('## Content checks');
		expect(record.card).toContain(
			'| Placeholder text in a response ([...], TODO, lorem ipsum…) | 1 | drop | 1 | k1 |'
		);
		expect(record.card).toContain('| Empty response (whitespace only) | 1 | drop | 1 | k2 |');
		expect(record.card).toContain('## Conflicts between traits');
		expect(record.card).toContain('- k5 (warmth): s1 over s2; k6 (curiosity): s2 over s1');
		expect(record.card).toContain('- Pairs left out for a conflict: 2');
		expect(record.card).toContain('too few to judge');
		const text = readFileSync(join(dir, record.fileName), 'utf8');
		expect(
			text
				.trim()
				.split('\n')
				.map((l) => JSON.parse(l).metadata.item_id)
		).toEqual(['k4', 'k7']);
	});

	it('records the checks in a dataset folder’s README too', async () => {
		const dir = makeTempDir();
		const record = await runExport(db, fixture.lead.id, options({ output: 'hf-dataset' }), { dir });
		const folder = makeTempDir();
		await extractTar(join(dir, record.fileName), folder);
		const readme = readFileSync(join(folder, 'README.md'), 'utf8');
		expect(readme).toContain('| Chosen and rejected are the same text | 1 | drop | 1 | k3 |');
		expect(readme).toContain('- k5 (warmth): s1 over s2; k6 (curiosity): s2 over s1');
	});
});
