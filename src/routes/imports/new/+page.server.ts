import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { openBatch } from '$lib/server/batches';
import { listConstitutions } from '$lib/server/catalog';
import { getDb } from '$lib/server/db';
import { domainFailure, parseForm } from '$lib/server/forms';
import { configuredLimits } from '$lib/server/imports';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	requireRole('lead');
	return {
		constitutions: listConstitutions(getDb()).map((c) => c.name),
		maxFileBytes: configuredLimits().maxFileBytes
	};
};

const openForm = z.object({ batchId: z.coerce.number().int().positive() });

export const actions: Actions = {
	/** Opens the batch just imported, from its result, as the batch page's button does. */
	open: async ({ request }) => {
		const user = requireRole('lead');
		const form = await request.formData();
		const parsed = parseForm(openForm, form);
		if (parsed.failure) return parsed.failure;
		try {
			openBatch(getDb(), user.id, parsed.data.batchId);
		} catch (e) {
			return domainFailure(e, form);
		}
		return { opened: parsed.data.batchId };
	}
};
