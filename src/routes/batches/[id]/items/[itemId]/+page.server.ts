import { error } from '@sveltejs/kit';
import { hasRole } from '$lib/roles';
import { requireRole } from '$lib/server/auth/guard';
import { getBatch, getItem } from '$lib/server/batches';
import { getDb } from '$lib/server/db';
import { evidenceForLeads } from '$lib/server/evidence';
import { readItem } from '$lib/server/item-records';
import { batchReviewerLabels } from '$lib/server/pseudonyms';
import { idParam } from '$lib/server/routing';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const user = requireRole('lead');
	const db = getDb();
	const batchId = idParam(params.id, 'batch');
	const found = getBatch(db, batchId);
	const item = found && getItem(db, batchId, idParam(params.itemId, 'item'));
	if (!found || !item) error(404, 'There is no such item.');
	// The submitted reviews' spans, reviewers named as on the batch's other lead pages.
	const record = readItem(db.$client, batchId, item.item.id);
	const label = batchReviewerLabels(db, batchId, hasRole(user.role, 'admin'));
	return {
		evidence: record ? evidenceForLeads(record, label) : [],
		reviewCount: record?.reviews.length ?? 0,
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
