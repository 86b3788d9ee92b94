import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import {
	makeBatch,
	makeConstitution,
	makeItem,
	makeTrait,
	makeUser
} from '../../../../tests/support/factories';
import { changeRole } from '../users';
import { describeAuditEvents, listAuditEvents, recordAudit } from './index';

function entries(db: ReturnType<typeof createTestDb>, action: string) {
	return describeAuditEvents(db, listAuditEvents(db, { action }, 1).rows);
}

describe('the audit log as people read it', () => {
	it('names users, batches, traits and responses, and lists what changed', async () => {
		const db = createTestDb();
		const admin = await makeUser(db, { role: 'admin', username: 'ada' });
		const rita = await makeUser(db, { username: 'rita' });
		changeRole(db, admin.id, rita.id, 'lead');
		const constitution = makeConstitution(db, { name: 'Warm' });
		const trait = makeTrait(db, constitution.id, { key: 'warmth', title: 'Warmth' });
		const batch = makeBatch(db, { name: 'Round 1', constitutionId: constitution.id });
		const { item, responses } = makeItem(db, batch.id, trait, { externalId: 'e1' });
		const [a, b] = responses.map((r) => r.id);
		recordAudit(db, {
			actorId: admin.id,
			action: 'assignment.create',
			targetType: 'batch',
			targetId: batch.id,
			newValue: { userId: rita.id, quota: null }
		});
		recordAudit(db, {
			actorId: admin.id,
			action: 'adjudication.change',
			targetType: 'item',
			targetId: item.id,
			oldValue: { decision: 'order', order: [[a], [b]], note: 'same' },
			newValue: { decision: 'order', order: [[b, a]], note: 'same' }
		});
		recordAudit(db, {
			actorId: admin.id,
			action: 'trait.archive',
			targetType: 'trait',
			targetId: trait.trait.id,
			oldValue: { archived: false },
			newValue: { archived: true }
		});
		recordAudit(db, {
			actorId: admin.id,
			action: 'export.create',
			targetType: 'export',
			targetId: 999,
			newValue: { format: 'trl', batches: [batch.id] }
		});

		const [role] = entries(db, 'user.role');
		expect(role.target).toEqual({ type: 'User', label: 'rita', href: `/admin/users/${rita.id}` });
		expect(role.actor).toBe('ada');
		expect(role.changes).toEqual([{ field: 'role', from: 'researcher', to: 'lead' }]);

		const [assigned] = entries(db, 'assignment.create');
		expect(assigned.target).toEqual({
			type: 'Batch',
			label: 'Round 1',
			href: `/batches/${batch.id}`
		});
		expect(assigned.changes).toEqual([
			{ field: 'user', from: null, to: 'rita' },
			{ field: 'quota', from: null, to: '—' }
		]);

		// Only the order changed: the unchanged decision and note are left out.
		const [decided] = entries(db, 'adjudication.change');
		expect(decided.target.label).toBe('e1 in Round 1');
		expect(decided.changes).toEqual([
			{ field: 'order', from: 'response A > response B', to: 'response B = response A' }
		]);

		const [archived] = entries(db, 'trait.archive');
		expect(archived.target).toMatchObject({ type: 'Trait', label: 'Warmth' });
		expect(archived.changes).toEqual([{ field: 'archived', from: 'no', to: 'yes' }]);

		// An export that is not there keeps its id; the batches it read are named.
		const [exported] = entries(db, 'export.create');
		expect(exported.target).toEqual({ type: 'Export', label: '#999', href: null });
		expect(exported.changes).toContainEqual({ field: 'batches', from: null, to: 'Round 1' });
	});
});
