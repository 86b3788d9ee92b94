import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import { deadPid } from '../../../../tests/support/import-leftovers';
import { createConstitution, createTrait } from '../catalog';
import type { AppDB } from '../db';
import { startBatch } from './batch-rows';
import { inImmediateTransaction } from './chunks';
import { removeAbandonedImports } from './leftovers';
import { DEFAULT_BATCH_SETTINGS } from './settings';
import type { ParsedItem } from './types';
import { writeBatch, type WriteContext } from './writer';

/**
 * An import that fails, or whose process dies, after its first transaction has created its
 * constitution and traits: what it created goes with its batch; what was there before stays.
 */

/** Every row of the catalog, to compare before and after. */
function catalog(db: AppDB) {
	const all = (table: string) => db.$client.prepare(`SELECT * FROM ${table} ORDER BY id`).all();
	return {
		constitutions: all('constitutions'),
		traits: all('traits'),
		versions: all('trait_versions'),
		prompts: all('prompts'),
		batches: all('batches'),
		imports: all('imports')
	};
}

function context(db: AppDB, constitutionName: string, actorId: number): WriteContext {
	return {
		db,
		sha: 'a'.repeat(64),
		fileName: 'x.jsonl',
		format: 'native',
		actorId,
		constitutionName,
		batchName: 'half',
		settings: DEFAULT_BATCH_SETTINGS
	};
}

const wanted = ['warmth', 'curiosity'].map((key) => ({ key, title: key, description: '' }));

/** Items for both traits; the source fails at `failAt`, well past the first chunk. */
function* items(failAt: number): Generator<ParsedItem> {
	for (let line = 1; ; line++) {
		if (line === failAt) throw new Error('the disk is gone');
		yield {
			line,
			traitKey: line % 2 ? 'warmth' : 'curiosity',
			prompt: [{ role: 'user', content: `p${line}` }],
			responses: [{ content: 'a' }, { content: 'b' }]
		};
	}
}

async function setup() {
	const db = createTestDb();
	const lead = await makeUser(db, { role: 'lead' });
	const other = createConstitution(db, lead.id, { name: 'Other' });
	createTrait(db, lead.id, other.id, { key: 'warmth', title: 'Warmth elsewhere' });
	return { db, lead };
}

describe('an import that fails half-way', () => {
	it('into a new constitution leaves the catalog exactly as before', async () => {
		const { db, lead } = await setup();
		const before = catalog(db);
		await expect(
			writeBatch(context(db, 'New from import', lead.id), wanted, items(10_000))
		).rejects.toThrow('the disk is gone');
		expect(catalog(db)).toEqual(before);
	});

	it('into an existing constitution leaves it and its traits untouched', async () => {
		const { db, lead } = await setup();
		const existing = createConstitution(db, lead.id, { name: 'Existing' });
		createTrait(db, lead.id, existing.id, { key: 'warmth', title: 'Warmth' });
		const before = catalog(db);
		// `curiosity` is new to the constitution: the import created it, so it goes too.
		await expect(
			writeBatch(context(db, 'Existing', lead.id), wanted, items(10_000))
		).rejects.toThrow('the disk is gone');
		expect(catalog(db)).toEqual(before);
	});
});

describe('an import whose process died', () => {
	beforeEach(() => {
		vi.spyOn(console, 'warn').mockImplementation(() => {});
	});

	/** The state the first transaction of an import commits, its writer then gone. */
	async function crashAfterFirstChunk(db: AppDB, constitutionName: string, actorId: number) {
		const ctx = context(db, constitutionName, actorId);
		const batch = await inImmediateTransaction(db.$client, () => {
			const started = startBatch(ctx, wanted, false);
			const source = items(0);
			for (let n = 0; n < 100; n++) started.write(source.next().value as ParsedItem);
			return started;
		});
		db.$client
			.prepare(`UPDATE imports SET writer_pid = ? WHERE batch_id = ?`)
			.run(deadPid(), batch.batchId);
		return batch;
	}

	it('leaves no new constitution or traits after the start-up cleanup', async () => {
		const { db, lead } = await setup();
		const before = catalog(db);
		await crashAfterFirstChunk(db, 'New from import', lead.id);
		expect(catalog(db).constitutions).toHaveLength(before.constitutions.length + 1);

		expect(await removeAbandonedImports(db)).toBe(1);
		expect(catalog(db)).toEqual(before);
		expect(db.$client.pragma('foreign_key_check')).toEqual([]);
	});

	it('keeps a new constitution that something else came to use meanwhile', async () => {
		const { db, lead } = await setup();
		const { constitution } = await crashAfterFirstChunk(db, 'New from import', lead.id);
		// A lead adds a trait to it while the import runs.
		createTrait(db, lead.id, constitution.id, { key: 'honesty', title: 'Honesty' });

		await removeAbandonedImports(db);
		const keys = db.$client
			.prepare(`SELECT key FROM traits WHERE constitution_id = ? ORDER BY key`)
			.pluck()
			.all(constitution.id);
		expect(keys).toEqual(['honesty']);
		expect(catalog(db).constitutions.map((c) => (c as { name: string }).name)).toContain(
			'New from import'
		);
	});
});
