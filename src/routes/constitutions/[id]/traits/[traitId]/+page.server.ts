import { error } from '@sveltejs/kit';
import { diffWords } from 'diff';
import { z } from 'zod';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- until catalog/ lists a trait's prompts
import { asc, eq } from 'drizzle-orm';
import { requireRole } from '$lib/server/auth/guard';
import { editTrait, getTrait, setTraitArchived } from '$lib/server/catalog';
import { getDb } from '$lib/server/db';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- until catalog/ lists a trait's prompts
import { prompts, type TraitVersion } from '$lib/server/db/schema';
import { domainFailure, formCheckbox, parseForm } from '$lib/server/forms';
import { idParam } from '$lib/server/routing';
import { traitFormSchema } from '$lib/server/trait-form';
import type { Actions, PageServerLoad } from './$types';

/** The version as one text, so that one word diff covers every field. */
function versionText(v: TraitVersion): string {
	const rubric = v.rubric?.map((line, i) => `${i + 1}. ${line}`).join('\n') ?? '(none)';
	return `Title: ${v.title}\nAuthority: ${v.authority ?? '(none)'}\n\n${v.description}\n\nRubric:\n${rubric}`;
}

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
	const byNumber = new Map(versions.map((v) => [v.version, v]));
	const from = byNumber.get(Number(url.searchParams.get('from'))) ?? versions[1] ?? current;
	const to = byNumber.get(Number(url.searchParams.get('to'))) ?? current;
	return {
		constitutionId: trait.constitutionId,
		trait: { id: trait.id, key: trait.key, archived: Boolean(trait.archivedAt) },
		current: { ...current, createdAt: current.createdAt.toISOString() },
		versions: versions.map((v) => ({
			version: v.version,
			title: v.title,
			createdAt: v.createdAt.toISOString()
		})),
		diff: {
			from: from.version,
			to: to.version,
			parts: diffWords(versionText(from), versionText(to)).map((p) => ({
				value: p.value,
				added: Boolean(p.added),
				removed: Boolean(p.removed)
			}))
		},
		promptCount,
		prompts: getDb()
			.select({ id: prompts.id, externalId: prompts.externalId, text: prompts.text })
			.from(prompts)
			.where(eq(prompts.traitId, trait.id))
			.orderBy(asc(prompts.id))
			.limit(100)
			.all()
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
		const parsed = parseForm(z.object({ archived: formCheckbox }), await request.formData());
		if (parsed.failure) return parsed.failure;
		setTraitArchived(getDb(), user.id, trait.id, parsed.data.archived);
		return { saved: parsed.data.archived ? 'Trait archived.' : 'Trait restored.' };
	}
};
