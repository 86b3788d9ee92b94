import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireUser } from '$lib/server/auth/guard';
import { hasRole } from '$lib/roles';
import { listBatches } from '$lib/server/batches';
import { listMyBatches } from '$lib/server/reviews';
import { countUsers, listUsers } from '$lib/server/users';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	if (!locals.user && countUsers(db) === 0) redirect(303, '/setup');
	const user = requireUser();
	if (!hasRole(user.role, 'lead')) {
		return { view: 'researcher' as const, queue: listMyBatches(db, user.id) };
	}
	const team = listUsers(db).map((u) => ({
		id: u.id,
		username: u.username,
		displayName: u.displayName,
		role: u.role,
		disabled: Boolean(u.disabledAt)
	}));
	const batches = listBatches(db).map((b) => ({
		id: b.id,
		name: b.name,
		status: b.status,
		itemCount: b.itemCount
	}));
	return { view: 'lead' as const, batches, team };
};
