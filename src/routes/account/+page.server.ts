import { z } from 'zod';
import { getDb } from '$lib/server/db';
import { requireUser } from '$lib/server/auth/guard';
import { domainFailure, parseForm } from '$lib/server/forms';
import { changeOwnPassword } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	const user = requireUser();
	return { account: { username: user.username, displayName: user.displayName, role: user.role } };
};

const passwordSchema = z
	.object({
		currentPassword: z.string().min(1, 'Enter your current password.'),
		newPassword: z.string(),
		confirm: z.string()
	})
	.refine((v) => v.newPassword === v.confirm, {
		message: 'The two new passwords differ.',
		path: ['confirm']
	});

export const actions: Actions = {
	password: async ({ request, locals }) => {
		const user = requireUser();
		const form = await request.formData();
		const parsed = parseForm(passwordSchema, form);
		if (parsed.failure) return parsed.failure;
		try {
			await changeOwnPassword(
				getDb(),
				user.id,
				locals.sessionId ?? '',
				parsed.data.currentPassword,
				parsed.data.newPassword
			);
		} catch (e) {
			return domainFailure(e, form);
		}
		return { changed: true };
	}
};
