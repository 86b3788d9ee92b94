import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken } from '$lib/server/api-tokens';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { domainFailure, parseForm } from '$lib/server/forms';
import { listUsers } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	const admin = requireRole('admin');
	const db = getDb();
	const users = listUsers(db)
		.filter((u) => !u.disabledAt && !u.external)
		.map((u) => ({ id: u.id, username: u.username, role: u.role }));
	// Tokens mostly serve the admin's own scripts; failing that, a lead's imports.
	const actsAs = users.find((u) => u.id === admin.id) ?? users.find((u) => u.role === 'lead');
	return {
		tokens: listApiTokens(db).map((t) => ({
			...t,
			createdAt: t.createdAt.toISOString(),
			lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
			revokedAt: t.revokedAt?.toISOString() ?? null
		})),
		users,
		actsAs: actsAs?.id ?? null
	};
};

export const actions: Actions = {
	create: async ({ request }) => {
		const admin = requireRole('admin');
		const form = await request.formData();
		const parsed = parseForm(
			z.object({ name: z.string(), userId: z.coerce.number().int().positive('Choose a user.') }),
			form
		);
		if (parsed.failure) return parsed.failure;
		try {
			const { token } = createApiToken(getDb(), admin.id, parsed.data.userId, parsed.data.name);
			// Shown once, in this response only; the database keeps just its hash.
			return { token };
		} catch (e) {
			return domainFailure(e, form);
		}
	},
	revoke: async ({ request }) => {
		const admin = requireRole('admin');
		const form = await request.formData();
		const parsed = parseForm(z.object({ id: z.coerce.number().int().positive() }), form);
		if (parsed.failure) return parsed.failure;
		try {
			revokeApiToken(getDb(), admin.id, parsed.data.id);
		} catch (e) {
			return domainFailure(e, form);
		}
		return { revoked: true };
	}
};
