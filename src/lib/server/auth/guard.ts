import { error, redirect } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';
import { hasRole, type Role } from '$lib/roles';
import type { SessionUser } from './session';

function isApiRequest(url: URL): boolean {
	return url.pathname.startsWith('/api/');
}

/**
 * The signed-in user, or a stop: pages send the visitor to the login page and come back after,
 * API calls get 401. Call it in every load, action and endpoint that needs a user.
 */
export function requireUser(): SessionUser {
	const { locals, url } = getRequestEvent();
	if (locals.user) return locals.user;
	if (isApiRequest(url)) error(401, 'Sign in first.');
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
