import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/guard';
import { domainFailure, formCheckbox, parseForm } from '$lib/server/forms';
import { changeRole, getUser, resetPassword, roleSchema, setUserDisabled } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

function userIdFrom(params: { id: string }): number {
	const id = Number(params.id);
	if (!Number.isSafeInteger(id) || id <= 0) error(404, 'There is no such user.');
	return id;
}

export const load: PageServerLoad = ({ params }) => {
	const admin = requireRole('admin');
	const user = getUser(getDb(), userIdFrom(params));
	if (!user) error(404, 'There is no such user.');
	return {
		user: {
			id: user.id,
			username: user.username,
			displayName: user.displayName,
			role: user.role,
			disabled: Boolean(user.disabledAt),
			external: user.external,
			createdAt: user.createdAt.toISOString()
		},
		isSelf: user.id === admin.id
	};
};

const roleForm = z.object({ role: roleSchema });
const disabledForm = z.object({ disabled: formCheckbox });
const passwordForm = z
	.object({ password: z.string(), confirm: z.string() })
	.refine((v) => v.password === v.confirm, {
		message: 'The two passwords differ.',
		path: ['confirm']
	});

export const actions: Actions = {
	role: async ({ request, params }) => {
		const admin = requireRole('admin');
		const form = await request.formData();
		const parsed = parseForm(roleForm, form);
		if (parsed.failure) return parsed.failure;
		try {
			changeRole(getDb(), admin.id, userIdFrom(params), parsed.data.role);
		} catch (e) {
			return domainFailure(e, form);
		}
		return { done: 'Role changed.' };
	},
	disabled: async ({ request, params }) => {
		const admin = requireRole('admin');
		const form = await request.formData();
		const parsed = parseForm(disabledForm, form);
		if (parsed.failure) return parsed.failure;
		const { disabled } = parsed.data;
		try {
			setUserDisabled(getDb(), admin.id, userIdFrom(params), disabled);
		} catch (e) {
			return domainFailure(e, form);
		}
		return { done: disabled ? 'Account disabled; its sessions have ended.' : 'Account enabled.' };
	},
	password: async ({ request, params }) => {
		const admin = requireRole('admin');
		const form = await request.formData();
		const parsed = parseForm(passwordForm, form);
		if (parsed.failure) return parsed.failure;
		try {
			await resetPassword(getDb(), admin.id, userIdFrom(params), parsed.data.password);
		} catch (e) {
			return domainFailure(e, form);
		}
		return { done: 'Password reset; their sessions have ended.' };
	}
};
