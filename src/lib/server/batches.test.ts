import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../tests/support/db';
import { makeUser } from '../../../tests/support/factories';
import { fixturePath } from '../../../tests/support/fixtures';
import { listAuditEvents } from './audit';
import {
	batchFacets,
	getItem,
	listBatches,
	listItems,
	lockBatch,
	openBatch,
	unlockBatch
} from './batches';
import { importFile } from './imports';

async function imported() {
	const db = createTestDb();
	const lead = await makeUser(db, { role: 'lead' });
	const result = await importFile(db, fixturePath('native.jsonl'), {
		actorId: lead.id,
		batch: 'B'
	});
	if (!result.ok || result.kind !== 'batch') throw new Error('import failed');
	return { db, lead, batchId: result.batchId };
}

describe('batches', () => {
	it('lists batches with their item counts', async () => {
		const { db } = await imported();
		expect(listBatches(db)).toEqual([
			expect.objectContaining({ name: 'B', status: 'draft', itemCount: 3 })
		]);
	});

	it('filters items by trait, by model and by text in prompts or responses', async () => {
		const { db, batchId } = await imported();
		const facets = batchFacets(db, batchId);
		expect(facets.models).toEqual(['model-a', 'model-b']);
		const warmth = facets.traits.find((t) => t.key === 'warmth')!;
		const ids = (filter: Parameters<typeof listItems>[2]) =>
			listItems(db, batchId, filter, 1).rows.map((r) => r.externalId);
		expect(ids({})).toEqual(['warm-1', 'warm-2', 'curious-1']);
		expect(ids({ traitId: warmth.id })).toEqual(['warm-1', 'warm-2']);
		expect(ids({ model: 'model-b' })).toEqual(['warm-1', 'warm-2']);
		expect(ids({ q: 'Rayleigh' })).toEqual(['curious-1']);
		expect(ids({ q: 'My cat' })).toEqual(['warm-2']);
		// LIKE wildcards in the search are taken literally.
		expect(ids({ q: '%' })).toEqual([]);
	});

	it('opens a draft batch once, and shows an item with its responses in file order', async () => {
		const { db, lead, batchId } = await imported();
		openBatch(db, lead.id, batchId);
		expect(listBatches(db)[0].status).toBe('open');
		expect(() => openBatch(db, lead.id, batchId)).toThrow('only a draft batch can be opened');
		const first = listItems(db, batchId, {}, 1).rows[0];
		const item = getItem(db, batchId, first.id)!;
		expect(item.responses.map((r) => r.externalId)).toEqual(['a', 'b', 'c']);
		expect(getItem(db, batchId + 1, first.id)).toBeUndefined();
	});
});

describe('locking', () => {
	it('asks for confirmation while items lack reviews, then locks and audits it', async () => {
		const { db, lead, batchId } = await imported();
		openBatch(db, lead.id, batchId);
		const first = lockBatch(db, lead.id, batchId);
		// Three items, three reviews wanted each, none submitted.
		expect(first).toEqual({ locked: false, missing: { incompleteItems: 3, missingReviews: 9 } });
		expect(listBatches(db)[0].status).toBe('open');
		expect(lockBatch(db, lead.id, batchId, true)).toEqual({ locked: true });
		expect(listBatches(db)[0].status).toBe('locked');
		expect(listAuditEvents(db, { action: 'batch.lock' }, 1).rows[0].newValue).toMatchObject({
			status: 'locked',
			lockedIncomplete: { incompleteItems: 3 }
		});
	});

	it('unlocks a locked batch, audited', async () => {
		const { db, lead, batchId } = await imported();
		openBatch(db, lead.id, batchId);
		lockBatch(db, lead.id, batchId, true);
		unlockBatch(db, lead.id, batchId);
		expect(listBatches(db)[0].status).toBe('open');
		expect(listAuditEvents(db, { action: 'batch.unlock' }, 1).total).toBe(1);
		expect(() => unlockBatch(db, lead.id, batchId)).toThrow('not locked');
	});
});
