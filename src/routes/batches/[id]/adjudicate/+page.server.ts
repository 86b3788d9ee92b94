import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { listDisagreements } from '$lib/server/adjudication';
import { requireRole } from '$lib/server/auth/guard';
import { getBatch } from '$lib/server/batches';
import { getDb } from '$lib/server/db';
import { isBatchExported } from '$lib/server/exports';
import { formCheckbox } from '$lib/server/forms';
import { idParam } from '$lib/server/routing';
import type { PageServerLoad } from './$types';

const filterSchema = z.object({
	trait: z.string().max(200).optional().catch(undefined),
	undecided: formCheckbox.default(false).catch(false),
	page: z.coerce.number().int().min(1).catch(1)
});

export const load: PageServerLoad = async ({ params, url }) => {
	requireRole('lead');
	const db = getDb();
	const found = getBatch(db, idParam(params.id, 'batch'));
	if (!found) error(404, 'There is no such batch.');
	const filter = filterSchema.parse(
		Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ''))
	);
	const list = await listDisagreements(
		db,
		found.batch.id,
		{ traitKey: filter.trait, undecidedOnly: filter.undecided },
		filter.page
	);
	return {
		batch: { id: found.batch.id, name: found.batch.name, status: found.batch.status },
		exported: isBatchExported(db, found.batch.id),
		filter,
		...list
	};
};
