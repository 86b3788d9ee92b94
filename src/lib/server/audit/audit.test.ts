import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import { eq } from 'drizzle-orm';
import { auditEvents, users } from '../db/schema';
import { AUDIT_PAGE_SIZE, auditFacets, listAuditEvents, recordAudit } from './index';

describe('audit log', () => {
	it('pages newest first and filters by action, actor, target and date', async () => {
		const db = createTestDb();
		const admin = await makeUser(db, { role: 'admin', username: 'auditor' });
		const base = new Date('2026-03-01T12:00:00Z').getTime();
		for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i++) {
			recordAudit(
				db,
				{
					actorId: i % 2 ? admin.id : null,
					action: i % 3 ? 'a.one' : 'a.two',
					targetType: 'thing',
					targetId: i
				},
				new Date(base + i * 60_000)
			);
		}
		const all = listAuditEvents(db, {}, 1);
		// makeUser itself wrote one user.create event.
		expect(all.total).toBe(AUDIT_PAGE_SIZE + 6);
		expect(all.pages).toBe(2);
		expect(all.rows).toHaveLength(AUDIT_PAGE_SIZE);
		expect(all.rows[0].createdAt.getTime()).toBeGreaterThanOrEqual(all.rows[1].createdAt.getTime());
		expect(listAuditEvents(db, {}, 2).rows).toHaveLength(6);

		const two = listAuditEvents(db, { action: 'a.two' }, 1);
		expect(two.rows.every((r) => r.action === 'a.two')).toBe(true);
		expect(two.total).toBe(19);

		const byActor = listAuditEvents(db, { actor: 'AUDITOR', targetType: 'thing' }, 1);
		expect(byActor.total).toBe(27);

		const window = listAuditEvents(
			db,
			{ from: new Date(base), to: new Date(base + 10 * 60_000), targetType: 'thing' },
			1
		);
		expect(window.total).toBe(10);
		expect(auditFacets(db).actions).toEqual(['a.one', 'a.two', 'user.create']);
	});
});

describe('the audit table', () => {
	it('refuses to change or remove an event, and keeps its actor', async () => {
		const db = createTestDb();
		const user = await makeUser(db);
		recordAudit(db, { actorId: user.id, action: 'a.thing', targetType: 'thing' });
		const event = db.select().from(auditEvents).where(eq(auditEvents.actorId, user.id)).get()!;
		const before = db.select().from(auditEvents).all();
		expect(() =>
			db
				.update(auditEvents)
				.set({ action: 'nothing.happened' })
				.where(eq(auditEvents.id, event.id))
				.run()
		).toThrow(/append-only/);
		expect(() => db.delete(auditEvents).run()).toThrow(/append-only/);
		// Deleting the actor would null actor_id: refused too, so accounts are disabled instead.
		expect(() => db.delete(users).where(eq(users.id, user.id)).run()).toThrow(/append-only/);
		expect(db.select().from(auditEvents).all()).toEqual(before);
	});
});
