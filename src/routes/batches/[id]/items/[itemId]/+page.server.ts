import { error } from '@sveltejs/kit';
import { hasRole } from '$lib/roles';
import { requireRole } from '$lib/server/auth/guard';
import { getBatch, getItem } from '$lib/server/batches';
import { getDb } from '$lib/server/db';
import { domainFailure } from '$lib/server/forms';
import { goldOrderFromRanks, markGold, unmarkGold } from '$lib/server/gold';
import { evidenceForLeads } from '$lib/server/evidence';
import { readItem } from '$lib/server/item-records';
import { batchReviewerLabels } from '$lib/server/pseudonyms';
import { idParam } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

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
		batch: { id: found.batch.id, name: found.batch.name, status: found.batch.status },
		evidence: record ? evidenceForLeads(record, label) : [],
		reviewCount: record?.reviews.length ?? 0,
		item: {
			id: item.item.id,
			externalId: item.item.externalId,
			prompt: item.item.prompt,
			metadata: item.item.metadata,
			sourceLine: item.item.sourceLine,
			/** The expected order if the item is gold: groups of tied response ids, best first. */
			goldOrder: item.item.goldOrder
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

export const actions: Actions = {
	/** Marks the item gold, or changes its expected order: one expected rank per response. */
	markGold: async ({ params, request }) => {
		const user = requireRole('lead');
		const db = getDb();
		const batchId = idParam(params.id, 'batch');
		const itemId = idParam(params.itemId, 'item');
		const form = await request.formData();
		const item = getItem(db, batchId, itemId);
		if (!item) error(404, 'There is no such item.');
		const ranks = new Map(
			item.responses.map((r) => [r.id, String(form.get(`rank-${r.id}`) ?? '')] as const)
		);
		try {
			const order = goldOrderFromRanks(
				item.responses.map((r) => r.id),
				ranks
			);
			markGold(db, user.id, batchId, itemId, order);
		} catch (e) {
			return domainFailure(e, form);
		}
		return { goldSaved: true };
	},
	unmarkGold: ({ params }) => {
		const user = requireRole('lead');
		try {
			unmarkGold(getDb(), user.id, idParam(params.id, 'batch'), idParam(params.itemId, 'item'));
		} catch (e) {
			return domainFailure(e);
		}
		return { goldRemoved: true };
	}
};
