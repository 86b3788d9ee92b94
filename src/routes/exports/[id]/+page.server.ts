import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import {
	datasetInfoEntry,
	describeDrops,
	FORMAT_LABELS,
	getExport,
	isLlamaFactoryFormat,
	OUTPUT_LABELS,
	verifyExport,
	type ExportFormat
} from '$lib/server/exports';
import { idParam } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	requireRole('lead');
	const record = getExport(getDb(), idParam(params.id, 'export'));
	if (!record) error(404, 'There is no such export.');
	const output = (record.settings as { output?: 'file' | 'hf-dataset' }).output ?? 'file';
	// A dataset folder carries its own dataset_info.json; a single file needs this entry.
	const datasetName = `trait_review_export_${record.id}`;
	const datasetInfo =
		output === 'file' && isLlamaFactoryFormat(record.format)
			? {
					name: datasetName,
					json: JSON.stringify(
						{ [datasetName]: datasetInfoEntry(record.format as ExportFormat, record.fileName) },
						null,
						2
					)
				}
			: null;
	return {
		record: {
			id: record.id,
			format: record.format,
			formatLabel: FORMAT_LABELS[record.format as ExportFormat] ?? record.format,
			outputLabel: OUTPUT_LABELS[output],
			datasetInfo,
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
