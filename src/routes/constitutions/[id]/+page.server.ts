import { error, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import {
	createTrait,
	getConstitution,
	listConstitutionBatches,
	listTraits,
	newTraitFormSchema
} from '$lib/server/catalog';
import { getDb } from '$lib/server/db';
import { domainFailure, parseForm } from '$lib/server/forms';
import { idParam } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	requireRole('lead');
	const db = getDb();
	const constitution = getConstitution(db, idParam(params.id, 'constitution'));
	if (!constitution) error(404, 'There is no such constitution.');
	const traits = listTraits(db, constitution.id, { archived: true });
	return {
		constitution: {
			id: constitution.id,
			name: constitution.name,
			description: constitution.description,
			source: constitution.source
		},
		traits: traits.map((t) => ({ ...t, archived: Boolean(t.archivedAt), archivedAt: undefined })),
		batches: listConstitutionBatches(db, constitution.id)
	};
};

export const actions: Actions = {
	createTrait: async ({ request, params }) => {
		const user = requireRole('lead');
		const form = await request.formData();
		const parsed = parseForm(newTraitFormSchema, form);
		if (parsed.failure) return parsed.failure;
		const constitutionId = idParam(params.id, 'constitution');
		let created;
		try {
			created = createTrait(getDb(), user.id, constitutionId, parsed.data);
		} catch (e) {
			return domainFailure(e, form);
		}
		redirect(303, `/constitutions/${constitutionId}/traits/${created.trait.id}`);
	}
};
