import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../tests/support/db';
import { makeUser } from '../../../tests/support/factories';
import { listAuditEvents } from './audit';
import {
	createConstitution,
	createTrait,
	editTrait,
	getTrait,
	listConstitutions,
	listTraits,
	setTraitArchived
} from './catalog';

async function setup() {
	const db = createTestDb();
	const lead = await makeUser(db, { role: 'lead' });
	const constitution = createConstitution(db, lead.id, { name: 'Character' });
	return { db, lead, constitution };
}

describe('constitutions and traits', () => {
	it('refuses a duplicate constitution name and a duplicate trait key', async () => {
		const { db, lead, constitution } = await setup();
		expect(() => createConstitution(db, lead.id, { name: ' Character ' })).toThrow(
			'already a constitution'
		);
		createTrait(db, lead.id, constitution.id, { key: 'warmth', title: 'Warmth' });
		expect(() =>
			createTrait(db, lead.id, constitution.id, { key: 'warmth', title: 'Again' })
		).toThrow('already has a trait "warmth"');
		expect(() =>
			createTrait(db, lead.id, constitution.id, { key: 'has space', title: 'x' })
		).toThrow('Use letters');
	});

	it('turns every real edit into a new version and keeps the old ones', async () => {
		const { db, lead, constitution } = await setup();
		const { trait } = createTrait(db, lead.id, constitution.id, {
			key: 'warmth',
			title: 'Warmth',
			description: 'Be kind.',
			rubric: ['cold', 'warm']
		});
		editTrait(db, lead.id, trait.id, {
			title: 'Warmth',
			description: 'Be kind and caring.',
			rubric: ['cold', 'warm']
		});
		// Saving the same wording again adds nothing.
		editTrait(db, lead.id, trait.id, {
			title: 'Warmth',
			description: 'Be kind and caring.',
			rubric: ['cold', 'warm']
		});
		const found = getTrait(db, trait.id)!;
		expect(found.versions.map((v) => [v.version, v.description])).toEqual([
			[2, 'Be kind and caring.'],
			[1, 'Be kind.']
		]);
		expect(found.trait.currentVersion).toBe(2);
		expect(listAuditEvents(db, { action: 'trait.edit' }, 1).rows[0]).toMatchObject({
			oldValue: { version: 1 },
			newValue: { version: 2 }
		});
	});

	it('hides archived traits from the active list but keeps them', async () => {
		const { db, lead, constitution } = await setup();
		const { trait } = createTrait(db, lead.id, constitution.id, { key: 'old', title: 'Old' });
		createTrait(db, lead.id, constitution.id, { key: 'new', title: 'New' });
		setTraitArchived(db, lead.id, trait.id, true);
		expect(listTraits(db, constitution.id).map((t) => t.key)).toEqual(['new']);
		expect(listTraits(db, constitution.id, { archived: true }).map((t) => t.key)).toEqual([
			'old',
			'new'
		]);
		expect(listConstitutions(db)[0].traitCount).toBe(1);
	});
});
