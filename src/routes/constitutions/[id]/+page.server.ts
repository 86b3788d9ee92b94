import { error, redirect } from '@sveltejs/kit';
import { and, desc, eq } from 'drizzle-orm';
import { requireRole } from '$lib/server/auth/guard';
import { createTrait, getConstitution, listTraits } from '$lib/server/catalog';
import { getDb } from '$lib/server/db';
import { batches, batchVisible } from '$lib/server/db/schema';
import { domainFailure, formError, parseForm } from '$lib/server/forms';
import { idParam } from '$lib/server/routing';
import { newTraitFormSchema } from '$lib/server/trait-form';
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
		batches: db
			.select({ id: batches.id, name: batches.name, status: batches.status })
			.from(batches)
			.where(and(eq(batches.constitutionId, constitution.id), batchVisible))
			.orderBy(desc(batches.createdAt))
			.all()
	};
};

export const actions: Actions = {
	createTrait: async ({ request, params }) => {
		const user = requireRole('lead');
		const form = await request.formData();
		const parsed = parseForm(newTraitFormSchema, form);
		if (parsed.failure) return parsed.failure;
		const db = getDb();
		const constitutionId = idParam(params.id, 'constitution');
		if (!getConstitution(db, constitutionId))
			return formError(404, 'There is no such constitution.');
		let created;
		try {
			created = db.transaction((tx) => createTrait(tx, user.id, constitutionId, parsed.data));
		} catch (e) {
			return domainFailure(e, form);
		}
		redirect(303, `/constitutions/${constitutionId}/traits/${created.trait.id}`);
	}
};
