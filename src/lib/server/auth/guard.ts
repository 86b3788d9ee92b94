import { error, redirect } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';
import { hasRole, type Role } from '$lib/roles';
import { isApiPath } from '../http';
import type { SessionUser } from './session';

/**
 * The signed-in user, or a stop: pages send the visitor to the login page and come back after,
 * API calls get 401 (in the API's error shape: endpoints there are wrapped in `apiEndpoint`).
 * Call it in every load, action and endpoint that needs a user.
 */
export function requireUser(): SessionUser {
	const { locals, url } = getRequestEvent();
	if (locals.user) return locals.user;
	if (isApiPath(url.pathname)) error(401, 'Sign in first.');
	const back = url.pathname + url.search;
	redirect(303, `/login?redirectTo=${encodeURIComponent(back)}`);
}

/** The signed-in user if their role is at least `role`; 403 otherwise. */
export function requireRole(role: Role): SessionUser {
	const user = requireUser();
	if (!hasRole(user.role, role)) {
		error(403, `This page is for ${role === 'admin' ? 'admins' : `${role}s and above`}.`);
	}
	return user;
}
