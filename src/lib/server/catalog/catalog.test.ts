import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../../tests/support/db';
import { makeUser } from '../../../../tests/support/factories';
import { listAuditEvents } from '../audit';
import {
	createConstitution,
	createTrait,
	diffTraitVersions,
	editTrait,
	getTrait,
	listConstitutions,
	listTraits,
	setTraitArchived,
	traitFormSchema
} from './index';

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

	it('refuses content over its limits as a DomainError naming the field, not a ZodError', async () => {
		const { db, lead, constitution } = await setup();
		const { trait } = createTrait(db, lead.id, constitution.id, { key: 'warmth', title: 'Warmth' });
		// What the trait form lets through: two rubric lines, one of them too long.
		const form = traitFormSchema.parse({ title: 'Warmth', rubric: `cold\n${'w'.repeat(501)}` });
		expect(() => editTrait(db, lead.id, trait.id, form)).toThrow(
			expect.objectContaining({
				name: 'DomainError',
				field: 'rubric',
				message: 'Each rubric line can have at most 500 characters.'
			})
		);
		expect(() =>
			createTrait(db, lead.id, constitution.id, { key: 'x', title: 'X', authority: 'a'.repeat(41) })
		).toThrow(expect.objectContaining({ name: 'DomainError', field: 'authority' }));
		expect(getTrait(db, trait.id)!.versions).toHaveLength(1);
	});

	it('refuses a trait for a constitution that does not exist, and leaves nothing behind', async () => {
		const { db, lead } = await setup();
		expect(() => createTrait(db, lead.id, 9999, { key: 'warmth', title: 'Warmth' })).toThrow(
			expect.objectContaining({ name: 'DomainError', status: 404 })
		);
		expect(listAuditEvents(db, { action: 'trait.create' }, 1).rows).toEqual([]);
	});
});

describe('diffTraitVersions', () => {
	it('compares the last change by default, and any two versions when asked', async () => {
		const { db, lead, constitution } = await setup();
		const { trait } = createTrait(db, lead.id, constitution.id, {
			key: 'warmth',
			title: 'Warmth',
			description: 'Be kind.'
		});
		editTrait(db, lead.id, trait.id, { title: 'Warmth', description: 'Be very kind.' });
		editTrait(db, lead.id, trait.id, { title: 'Kindness', description: 'Be very kind.' });
		const { versions } = getTrait(db, trait.id)!;
		const changed = (diff: ReturnType<typeof diffTraitVersions>) =>
			diff.parts.filter((p) => p.added || p.removed).map((p) => (p.added ? '+' : '-') + p.value);

		const latest = diffTraitVersions(versions);
		expect([latest.from, latest.to]).toEqual([2, 3]);
		expect(changed(latest)).toEqual(['-Warmth', '+Kindness']);
		const first = diffTraitVersions(versions, 1, 2);
		expect(changed(first)).toEqual(['+very ']);
		// A version that does not exist falls back to the default.
		expect(diffTraitVersions(versions, 99, 0)).toMatchObject({ from: 2, to: 3 });
	});
});
