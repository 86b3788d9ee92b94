import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import {
	diffTraitVersions,
	editTrait,
	getTrait,
	listTraitPrompts,
	setTraitArchived,
	traitFormSchema
} from '$lib/server/catalog';
import { getDb } from '$lib/server/db';
import { domainFailure, parseForm } from '$lib/server/forms';
import { idParam } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

function loadTrait(params: { id: string; traitId: string }) {
	const found = getTrait(getDb(), idParam(params.traitId, 'trait'));
	if (!found || found.trait.constitutionId !== idParam(params.id, 'constitution')) {
		error(404, 'There is no such trait.');
	}
	return found;
}

export const load: PageServerLoad = ({ params, url }) => {
	requireRole('lead');
	const { trait, versions, current, promptCount } = loadTrait(params);
	return {
		constitutionId: trait.constitutionId,
		trait: { id: trait.id, key: trait.key, archived: Boolean(trait.archivedAt) },
		current: { ...current, createdAt: current.createdAt.toISOString() },
		versions: versions.map((v) => ({
			version: v.version,
			title: v.title,
			createdAt: v.createdAt.toISOString()
		})),
		diff: diffTraitVersions(
			versions,
			Number(url.searchParams.get('from')),
			Number(url.searchParams.get('to'))
		),
		promptCount,
		prompts: listTraitPrompts(getDb(), trait.id)
	};
};

export const actions: Actions = {
	edit: async ({ request, params }) => {
		const user = requireRole('lead');
		const { trait } = loadTrait(params);
		const form = await request.formData();
		const parsed = parseForm(traitFormSchema, form);
		if (parsed.failure) return parsed.failure;
		try {
			const version = editTrait(getDb(), user.id, trait.id, parsed.data);
			return { saved: `Saved as version ${version.version}.` };
		} catch (e) {
			return domainFailure(e, form);
		}
	},
	archive: async ({ request, params }) => {
		const user = requireRole('lead');
		const { trait } = loadTrait(params);
		const parsed = parseForm(
			z.object({ archived: z.enum(['true', 'false']) }),
			await request.formData()
		);
		if (parsed.failure) return parsed.failure;
		setTraitArchived(getDb(), user.id, trait.id, parsed.data.archived === 'true');
		return { saved: parsed.data.archived === 'true' ? 'Trait archived.' : 'Trait restored.' };
	}
};
