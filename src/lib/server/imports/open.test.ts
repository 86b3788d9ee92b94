import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import { fixturePath } from '../../../../tests/support/fixtures';
import type { AppDB } from '../db';
import { auditEvents, batches } from '../db/schema';
import { importFile } from './run';

function batchOf(db: AppDB, batchId: number) {
	return db.select().from(batches).where(eq(batches.id, batchId)).get()!;
}

function openEvents(db: AppDB) {
	return db.select().from(auditEvents).where(eq(auditEvents.action, 'batch.open')).all();
}

describe('an import and the batch’s status', () => {
	it('leaves a batch a draft, and says so', async () => {
		const db = createTestDb();
		const result = await importFile(db, fixturePath('native.jsonl'), { actorId: null });
		expect(result).toMatchObject({ ok: true, kind: 'batch', status: 'draft' });
		if (!result.ok || result.kind !== 'batch') throw new Error('not a batch');
		expect(batchOf(db, result.batchId).status).toBe('draft');
		expect(openEvents(db)).toHaveLength(0);
	});

	it('opens the batch for review when asked, in the lead’s name', async () => {
		const db = createTestDb();
		const lead = await makeUser(db, { role: 'lead' });
		const result = await importFile(db, fixturePath('model-spec-small.md'), {
			actorId: lead.id,
			open: true
		});
		expect(result).toMatchObject({ ok: true, kind: 'batch', status: 'open' });
		if (!result.ok || result.kind !== 'batch') throw new Error('not a batch');
		const batch = batchOf(db, result.batchId);
		expect(batch.status).toBe('open');
		expect(batch.openedAt).toBeInstanceOf(Date);
		expect(openEvents(db)).toMatchObject([{ actorId: lead.id, targetId: String(result.batchId) }]);
	});

	it('opens nothing when the file is refused, or makes a constitution', async () => {
		const db = createTestDb();
		const bad = await importFile(db, fixturePath('native-bad.jsonl'), {
			actorId: null,
			open: true
		});
		expect(bad.ok).toBe(false);
		const constitution = await importFile(db, fixturePath('oct-small.json'), {
			actorId: null,
			open: true
		});
		expect(constitution).toMatchObject({ ok: true, kind: 'constitution' });
		expect(constitution).not.toHaveProperty('status');
		expect(db.select().from(batches).all()).toHaveLength(0);
		expect(openEvents(db)).toHaveLength(0);
	});
});
