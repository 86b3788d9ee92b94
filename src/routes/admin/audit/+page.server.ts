import { z } from 'zod';
import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/auth/guard';
import {
	auditFacets,
	auditTargetTypeLabel,
	describeAuditEvents,
	listAuditEvents
} from '$lib/server/audit';
import type { PageServerLoad } from './$types';

const DAY_MS = 24 * 60 * 60 * 1000;
const dateParam = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/)
	.optional()
	.catch(undefined);

const filterSchema = z.object({
	action: z.string().max(100).optional().catch(undefined),
	actor: z.string().max(100).optional().catch(undefined),
	targetType: z.string().max(100).optional().catch(undefined),
	from: dateParam,
	to: dateParam,
	page: z.coerce.number().int().min(1).max(100_000).catch(1)
});

export const load: PageServerLoad = ({ url }) => {
	requireRole('admin');
	const raw = Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ''));
	const filter = filterSchema.parse(raw);
	const db = getDb();
	const result = listAuditEvents(
		db,
		{
			action: filter.action,
			actor: filter.actor,
			targetType: filter.targetType,
			from: filter.from ? new Date(`${filter.from}T00:00:00Z`) : undefined,
			// "to" is inclusive of the whole day picked.
			to: filter.to ? new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + DAY_MS) : undefined
		},
		filter.page
	);
	const facets = auditFacets(db);
	return {
		filter,
		facets: {
			actions: facets.actions,
			targetTypes: facets.targetTypes.map((t) => ({ value: t, label: auditTargetTypeLabel(t) }))
		},
		total: result.total,
		pages: result.pages,
		events: describeAuditEvents(db, result.rows).map((event) => ({
			...event,
			createdAt: event.createdAt.toISOString()
		}))
	};
};
