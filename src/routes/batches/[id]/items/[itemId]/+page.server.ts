import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { getBatch, getItem } from '$lib/server/batches';
import { getDb } from '$lib/server/db';
import { idParam } from '$lib/server/routing';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	requireRole('lead');
	const db = getDb();
	const batchId = idParam(params.id, 'batch');
	const found = getBatch(db, batchId);
	const item = found && getItem(db, batchId, idParam(params.itemId, 'item'));
	if (!found || !item) error(404, 'There is no such item.');
	return {
		batch: { id: found.batch.id, name: found.batch.name },
		item: {
			id: item.item.id,
			externalId: item.item.externalId,
			prompt: item.item.prompt,
			metadata: item.item.metadata,
			sourceLine: item.item.sourceLine
		},
		trait: {
			key: item.trait.key,
			title: item.traitVersion.title,
			version: item.traitVersion.version,
			description: item.traitVersion.description
		},
		responses: item.responses.map((r) => ({
			id: r.id,
			position: r.position,
			externalId: r.externalId,
			model: r.model,
			content: r.content,
			aiScore: r.aiScore,
			aiRank: r.aiRank,
			referenceLabel: r.referenceLabel,
			referenceReason: r.referenceReason,
			metadata: r.metadata
		}))
	};
};
