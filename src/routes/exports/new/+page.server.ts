import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { listBatches } from '$lib/server/batches';
import { getDb } from '$lib/server/db';
import { DomainError } from '$lib/server/errors';
import { fieldErrors } from '$lib/server/forms';
import {
	describeConflictShare,
	exportOptionsFromForm,
	exportOptionsSchema,
	FORMAT_LABELS,
	OUTPUT_LABELS,
	previewExport,
	runExport,
	STRATEGY_LABELS,
	type ExportFormValues
} from '$lib/server/exports';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => {
	requireRole('lead');
	const chosen = url.searchParams.getAll('batch').map(Number);
	return {
		batches: listBatches(getDb())
			.filter((b) => b.status !== 'draft')
			.map((b) => ({ id: b.id, name: b.name, status: b.status })),
		chosen,
		formats: Object.entries(FORMAT_LABELS).map(([value, label]) => ({ value, label })),
		strategies: Object.entries(STRATEGY_LABELS).map(([value, label]) => ({ value, label })),
		outputs: Object.entries(OUTPUT_LABELS).map(([value, label]) => ({ value, label }))
	};
};

/** Validates the form; on failure the form comes back as it was, with the reasons. */
function parseExportForm(form: FormData) {
	const chosen = exportOptionsFromForm(form);
	const parsed = exportOptionsSchema.safeParse(chosen);
	if (parsed.success) return { options: parsed.data, chosen };
	return { failure: fail(400, { errors: fieldErrors(parsed.error), chosen }) };
}

/** A domain rule said no (say, an unlocked batch): the form comes back with the reason. */
function refusal(e: unknown, chosen: ExportFormValues) {
	if (e instanceof DomainError) {
		return fail(e.status, { errors: { [e.field ?? 'form']: e.message }, chosen });
	}
	throw e;
}

export const actions: Actions = {
	preview: async ({ request }) => {
		requireRole('lead');
		const { options, chosen, failure } = parseExportForm(await request.formData());
		if (failure) return failure;
		try {
			const preview = await previewExport(getDb(), options);
			return {
				preview: {
					...preview,
					rows: preview.rows.map((row) => JSON.stringify(row, null, 2)),
					conflictShare: preview.screening && describeConflictShare(preview.screening.conflicts)
				},
				chosen
			};
		} catch (e) {
			return refusal(e, chosen);
		}
	},
	run: async ({ request }) => {
		const user = requireRole('lead');
		const { options, chosen, failure } = parseExportForm(await request.formData());
		if (failure) return failure;
		let record;
		try {
			record = await runExport(getDb(), user.id, options);
		} catch (e) {
			return refusal(e, chosen);
		}
		redirect(303, `/exports/${record.id}?created=1`);
	}
};
