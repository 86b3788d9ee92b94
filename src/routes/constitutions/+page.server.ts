import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { createConstitution, listConstitutions } from '$lib/server/catalog';
import { getDb } from '$lib/server/db';
import { domainFailure, parseForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	requireRole('lead');
	return {
		constitutions: listConstitutions(getDb()).map((c) => ({
			...c,
			createdAt: c.createdAt.toISOString()
		}))
	};
};

const createSchema = z.object({
	name: z.string().trim().min(1, 'Give the constitution a name.').max(200),
	description: z.string().max(20_000).default('')
});

export const actions: Actions = {
	create: async ({ request }) => {
		const user = requireRole('lead');
		const form = await request.formData();
		const parsed = parseForm(createSchema, form);
		if (parsed.failure) return parsed.failure;
		let created;
		try {
			created = createConstitution(getDb(), user.id, parsed.data);
		} catch (e) {
			return domainFailure(e, form);
		}
		redirect(303, `/constitutions/${created.id}`);
	}
};
