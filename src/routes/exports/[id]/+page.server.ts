import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import {
	describeDrops,
	FORMAT_LABELS,
	getExport,
	verifyExport,
	type ExportFormat
} from '$lib/server/exports';
import { idParam } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	requireRole('lead');
	const record = getExport(getDb(), idParam(params.id, 'export'));
	if (!record) error(404, 'There is no such export.');
	return {
		record: {
			id: record.id,
			format: record.format,
			formatLabel: FORMAT_LABELS[record.format as ExportFormat] ?? record.format,
			rowCount: record.rowCount,
			itemsIn: record.itemsIn,
			dropReasons: describeDrops(record.itemsOut),
			sha256: record.sha256,
			bytes: record.bytes,
			fileName: record.fileName,
			card: record.card,
			createdBy: record.createdBy,
			createdAt: record.createdAt.toISOString(),
			batches: record.batches
		}
	};
};

export const actions: Actions = {
	/** Re-reads the stored file and compares it with the record. */
	verify: async ({ params }) => {
		requireRole('lead');
		const check = await verifyExport(getDb(), idParam(params.id, 'export'));
		if (!check) error(404, 'There is no such export.');
		return { check };
	}
};
