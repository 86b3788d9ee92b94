import { error, redirect } from '@sveltejs/kit';
import { hasRole } from '$lib/roles';
import { adjudicateItem, clearAdjudication, loadAdjudication } from '$lib/server/adjudication';
import { requireRole } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { evidenceForLeads } from '$lib/server/evidence';
import { domainFailure, formError } from '$lib/server/forms';
import { idParam } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

function ids(params: { id: string; itemId: string }) {
	return { batchId: idParam(params.id, 'batch'), itemId: idParam(params.itemId, 'item') };
}

export const load: PageServerLoad = ({ params }) => {
	const user = requireRole('lead');
	const { batchId, itemId } = ids(params);
	// Leads see reviewers under pseudonyms; admins, who manage the people, see their names.
	const view = loadAdjudication(getDb(), batchId, itemId, hasRole(user.role, 'admin'));
	if (!view) error(404, 'There is no such item in this batch.');
	const { item } = view;
	return {
		batchId,
		item: {
			id: item.id,
			externalId: item.externalId,
			traitKey: item.traitKey,
			batchName: item.batchName,
			prompt: item.prompt,
			responses: item.responses.map((r, i) => ({
				id: r.id,
				letter: String.fromCharCode(65 + i),
				content: r.content,
				model: r.model,
				referenceLabel: r.referenceLabel
			}))
		},
		reviewers: view.reviewers.map((r) => ({
			id: r.id,
			label: r.label,
			scores: r.scores,
			ranks: r.ranks,
			comments: r.comments,
			flags: r.flags,
			overallComment: r.overallComment
		})),
		evidence: evidenceForLeads(
			item,
			(userId) => view.reviewers.find((r) => r.userId === userId)!.label
		),
		consensus: view.consensus,
		agreement: view.agreement,
		spread: view.spread,
		adjudicated: view.adjudicated && {
			decision: view.adjudicated.decision,
			finalOrder: view.adjudicated.finalOrder,
			note: view.adjudicated.note,
			decidedBy: view.adjudicated.decidedBy,
			decidedAt: new Date(view.adjudicated.decidedAt).toISOString()
		},
		frozen: view.frozen
	};
};

export const actions: Actions = {
	decide: async ({ request, params }) => {
		const user = requireRole('lead');
		const { batchId, itemId } = ids(params);
		const form = await request.formData();
		const decision = String(form.get('decision') ?? '');
		if (decision !== 'order' && decision !== 'exclude') {
			return formError(400, 'Choose a final order or exclusion.', form, 'decision');
		}
		let order: unknown;
		try {
			order = decision === 'order' ? JSON.parse(String(form.get('order') ?? '[]')) : undefined;
		} catch {
			return formError(400, 'The order could not be read: reload the page.', form, 'order');
		}
		try {
			adjudicateItem(getDb(), user.id, batchId, itemId, {
				decision,
				order,
				note: String(form.get('note') ?? '')
			});
		} catch (e) {
			return domainFailure(e, form);
		}
		redirect(303, `/batches/${batchId}/adjudicate/${itemId}?saved=1`);
	},
	clear: ({ params }) => {
		const user = requireRole('lead');
		const { batchId, itemId } = ids(params);
		try {
			clearAdjudication(getDb(), user.id, batchId, itemId);
		} catch (e) {
			return domainFailure(e);
		}
		redirect(303, `/batches/${batchId}/adjudicate/${itemId}?cleared=1`);
	}
};
