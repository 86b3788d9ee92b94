import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { getDb } from '$lib/server/db';
import { startSession } from '$lib/server/auth/login';
import { setupCodeMatches, setupCodeRequired } from '$lib/server/auth/setup-code';
import { domainFailure, formError, parseForm } from '$lib/server/forms';
import { countUsers, createFirstAdmin } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

const ALREADY_SET_UP =
	'This Trait Review is already set up. Sign in, or ask an admin for an account.';

const WRONG_CODE =
	'That is not the setup code: the server prints it on its console when it starts.';

export const load: PageServerLoad = () => {
	if (countUsers(getDb()) > 0) redirect(303, '/login');
	return { codeRequired: setupCodeRequired() };
};

const setupSchema = z
	.object({
		username: z.string(),
		displayName: z.string().max(80).optional(),
		password: z.string(),
		confirm: z.string(),
		setupCode: z.string().max(100).optional()
	})
	.refine((v) => v.password === v.confirm, {
		message: 'The two passwords differ.',
		path: ['confirm']
	});

export const actions: Actions = {
	default: async ({ request, cookies, url }) => {
		const form = await request.formData();
		const parsed = parseForm(setupSchema, form);
		if (parsed.failure) return parsed.failure;
		if (!setupCodeMatches(parsed.data.setupCode)) {
			return formError(403, WRONG_CODE, form, 'setupCode');
		}
		const db = getDb();
		if (countUsers(db) > 0) return formError(409, ALREADY_SET_UP);
		let admin;
		try {
			admin = await createFirstAdmin(db, parsed.data);
		} catch (e) {
			return domainFailure(e, form);
		}
		// Lost the race against another setup request: the other one made the admin.
		if (!admin) return formError(409, ALREADY_SET_UP);
		startSession(db, admin.id, cookies, url);
		redirect(303, '/admin/users');
	}
};
