import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { getDb } from '$lib/server/db';
import {
	LOGIN_FAILED_MESSAGE,
	attemptLogin,
	safeRedirectTarget,
	startSession
} from '$lib/server/auth/login';
import { formError, parseForm } from '$lib/server/forms';
import { countUsers } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user)
		redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo'), url.origin));
	if (countUsers(getDb()) === 0) redirect(303, '/setup');
	return {};
};

const loginSchema = z.object({
	username: z.string().trim().min(1, 'Enter your username.').max(100),
	password: z.string().min(1, 'Enter your password.').max(1000)
});

export const actions: Actions = {
	default: async ({ request, url, cookies, getClientAddress }) => {
		const form = await request.formData();
		const parsed = parseForm(loginSchema, form);
		if (parsed.failure) return parsed.failure;
		const { username, password } = parsed.data;
		const db = getDb();
		const result = await attemptLogin(db, username, password, getClientAddress());
		if (!result.ok) {
			const message =
				result.reason === 'rate_limited'
					? `Too many failed attempts. Try again in ${result.retryAfter} seconds.`
					: LOGIN_FAILED_MESSAGE;
			return formError(result.reason === 'rate_limited' ? 429 : 400, message, form);
		}
		startSession(db, result.userId, cookies, url);
		redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo'), url.origin));
	}
};
