import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/guard';
import { domainFailure, parseForm } from '$lib/server/forms';
import { createUser, listUsers, roleSchema } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	requireRole('admin');
	return {
		users: listUsers(getDb()).map((u) => ({
			id: u.id,
			username: u.username,
			displayName: u.displayName,
			role: u.role,
			disabled: Boolean(u.disabledAt),
			external: u.external,
			createdAt: u.createdAt.toISOString()
		}))
	};
};

const createSchema = z.object({
	username: z.string(),
	displayName: z.string().max(80).optional(),
	role: roleSchema,
	password: z.string()
});

export const actions: Actions = {
	create: async ({ request }) => {
		const admin = requireRole('admin');
		const form = await request.formData();
		const parsed = parseForm(createSchema, form);
		if (parsed.failure) return parsed.failure;
		let user;
		try {
			user = await createUser(getDb(), admin.id, parsed.data);
		} catch (e) {
			return domainFailure(e, form);
		}
		redirect(303, `/admin/users?created=${encodeURIComponent(user.username)}`);
	}
};
