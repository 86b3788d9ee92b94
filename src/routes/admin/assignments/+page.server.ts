import { z } from 'zod';
import { ROLES } from '$lib/roles';
import { requireRole } from '$lib/server/auth/guard';
import { listBatches, openBatch } from '$lib/server/batches';
import { getDb } from '$lib/server/db';
import { domainFailure, parseForm } from '$lib/server/forms';
import {
	assignResearcher,
	listAssignments,
	removeAssignment,
	setOverlap
} from '$lib/server/reviews';
import { listUsers } from '$lib/server/users';
import { wholeNumber } from '$lib/whole-number';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	requireRole('admin');
	const db = getDb();
	return {
		assignments: listAssignments(db),
		batches: listBatches(db).map((b) => ({
			id: b.id,
			name: b.name,
			status: b.status,
			overlap: b.overlap
		})),
		// Researchers first, so the form starts on one: they are who batches are assigned to.
		users: listUsers(db)
			.filter((u) => !u.disabledAt && !u.external)
			.sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role))
			.map((u) => ({ id: u.id, username: u.username, role: u.role }))
	};
};

const id = z.coerce.number().int().positive();

export const actions: Actions = {
	assign: async ({ request }) => {
		const admin = requireRole('admin');
		const form = await request.formData();
		const parsed = parseForm(
			z.object({
				batchId: id,
				userId: id,
				// Digits only: Number() would take "0x10" for 16.
				quota: z
					.string()
					.trim()
					.default('')
					.pipe(
						z.union([
							z.literal('').transform(() => null),
							wholeNumber('A quota is a whole number of items, at least 1.')
						])
					)
			}),
			form
		);
		if (parsed.failure) return parsed.failure;
		try {
			assignResearcher(
				getDb(),
				admin.id,
				parsed.data.batchId,
				parsed.data.userId,
				parsed.data.quota
			);
		} catch (e) {
			return domainFailure(e, form);
		}
		return { done: 'Assigned.' };
	},
	remove: async ({ request }) => {
		const admin = requireRole('admin');
		const parsed = parseForm(z.object({ batchId: id, userId: id }), await request.formData());
		if (parsed.failure) return parsed.failure;
		removeAssignment(getDb(), admin.id, parsed.data.batchId, parsed.data.userId);
		return { done: 'Removed. Their reviews stay.' };
	},
	overlap: async ({ request }) => {
		const admin = requireRole('admin');
		const form = await request.formData();
		const parsed = parseForm(
			z.object({ batchId: id, overlap: wholeNumber('Reviews per item must be a whole number.') }),
			form
		);
		if (parsed.failure) return parsed.failure;
		try {
			setOverlap(getDb(), admin.id, parsed.data.batchId, parsed.data.overlap);
		} catch (e) {
			return domainFailure(e, form);
		}
		return { done: 'Reviews per item changed.' };
	},
	/** A draft batch hands its researchers nothing: opened here, as on the batch's page. */
	open: async ({ request }) => {
		const admin = requireRole('admin');
		const form = await request.formData();
		const parsed = parseForm(z.object({ batchId: id }), form);
		if (parsed.failure) return parsed.failure;
		try {
			openBatch(getDb(), admin.id, parsed.data.batchId);
		} catch (e) {
			return domainFailure(e, form);
		}
		return { done: 'The batch is open for review.' };
	}
};
