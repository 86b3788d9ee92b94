import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { hasRole } from '$lib/roles';
import { requireRole } from '$lib/server/auth/guard';
import {
	batchFacets,
	checkLockable,
	getBatch,
	listItems,
	lockBatch,
	openBatch,
	unlockBatch
} from '$lib/server/batches';
import { getDb } from '$lib/server/db';
import {
	GOLD_RATE_MAX,
	markGoldFromReferences,
	readGoldSettings,
	setGoldRate
} from '$lib/server/gold';
import { domainFailure, formCheckbox, parseForm } from '$lib/server/forms';
import { idParam } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

const filterSchema = z.object({
	trait: z.coerce.number().int().positive().optional().catch(undefined),
	model: z.string().max(200).optional().catch(undefined),
	q: z.string().trim().max(200).optional().catch(undefined),
	page: z.coerce.number().int().min(1).catch(1)
});

export const load: PageServerLoad = ({ params, url }) => {
	const user = requireRole('lead');
	const db = getDb();
	const found = getBatch(db, idParam(params.id, 'batch'));
	if (!found) error(404, 'There is no such batch.');
	const { batch, constitution } = found;
	const filter = filterSchema.parse(
		Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ''))
	);
	const result = listItems(
		db,
		batch.id,
		{ traitId: filter.trait, model: filter.model, q: filter.q || undefined },
		filter.page
	);
	return {
		batch: {
			id: batch.id,
			name: batch.name,
			status: batch.status,
			scalePoints: batch.scalePoints,
			overlap: batch.overlap,
			blind: batch.blind,
			calibration: batch.calibration,
			createdAt: batch.createdAt.toISOString()
		},
		constitution,
		filter,
		facets: batchFacets(db, batch.id),
		gold: readGoldSettings(db, batch.id),
		lockCheck: batch.status === 'open' ? checkLockable(db, batch.id) : null,
		canUnlock: hasRole(user.role, 'admin'),
		items: result.rows,
		total: result.total,
		pages: result.pages
	};
};

/** Confirms locking a batch whose items still lack reviews. */
const lockForm = z.object({ confirm: formCheckbox.default(false) });

/** The gold rate as the form has it: a percentage, 0 to 50. */
const goldRateForm = z.object({
	goldRate: z.coerce
		.number({ message: 'The gold rate is a percentage from 0 to 50.' })
		.min(0, 'The gold rate is a percentage from 0 to 50.')
		.max(GOLD_RATE_MAX * 100, 'The gold rate is a percentage from 0 to 50.')
});

export const actions: Actions = {
	open: ({ params }) => {
		const user = requireRole('lead');
		try {
			openBatch(getDb(), user.id, idParam(params.id, 'batch'));
		} catch (e) {
			return domainFailure(e);
		}
		return { opened: true };
	},
	lock: async ({ params, request }) => {
		const user = requireRole('lead');
		const parsed = parseForm(lockForm, await request.formData());
		if (parsed.failure) return parsed.failure;
		try {
			const result = lockBatch(getDb(), user.id, idParam(params.id, 'batch'), parsed.data.confirm);
			return result.locked ? { lockedNow: true } : { needsConfirm: result.missing };
		} catch (e) {
			return domainFailure(e);
		}
	},
	goldRate: async ({ params, request }) => {
		const user = requireRole('lead');
		const form = await request.formData();
		const parsed = parseForm(goldRateForm, form);
		if (parsed.failure) return parsed.failure;
		try {
			// Hundredths of a percent: 5.5% is 0.055, never 0.055000000000000004.
			const rate = Math.round(parsed.data.goldRate * 100) / 10_000;
			setGoldRate(getDb(), user.id, idParam(params.id, 'batch'), rate);
		} catch (e) {
			return domainFailure(e, form);
		}
		return { goldRateSaved: true };
	},
	goldFromReferences: ({ params }) => {
		const user = requireRole('lead');
		try {
			const result = markGoldFromReferences(getDb(), user.id, idParam(params.id, 'batch'));
			return { goldFromReferences: result };
		} catch (e) {
			return domainFailure(e);
		}
	},
	unlock: ({ params }) => {
		const user = requireRole('admin');
		try {
			unlockBatch(getDb(), user.id, idParam(params.id, 'batch'));
		} catch (e) {
			return domainFailure(e);
		}
		return { unlocked: true };
	}
};
