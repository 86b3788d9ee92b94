import { and, eq } from 'drizzle-orm';
import { createConstitution, createTrait, editTrait, findConstitutionByName } from '../catalog';
import type { DB } from '../db';
import { traits, traitVersions } from '../db/schema';
import type { ParsedTrait } from './types';
import type { WriteContext } from './writer';

export type TraitInput = Pick<
	ParsedTrait,
	'key' | 'title' | 'description' | 'authority' | 'rubric'
>;

/** Finds or creates the constitution and its traits; returns key → (trait id, version id). */
export function ensureTraits(
	tx: DB,
	ctx: WriteContext,
	wanted: TraitInput[],
	updateExisting: boolean
) {
	const constitution =
		findConstitutionByName(tx, ctx.constitutionName) ??
		createConstitution(tx, ctx.actorId, { name: ctx.constitutionName, source: ctx.format });
	const byKey = new Map<string, { traitId: number; versionId: number }>();
	const existing = tx
		.select({ id: traits.id, key: traits.key, version: traits.currentVersion })
		.from(traits)
		.where(eq(traits.constitutionId, constitution.id))
		.all();
	const existingByKey = new Map(existing.map((t) => [t.key, t]));
	for (const input of wanted) {
		const found = existingByKey.get(input.key);
		if (!found) {
			const { trait, version } = createTrait(
				tx,
				ctx.actorId,
				constitution.id,
				{ ...input, rubric: input.rubric ?? null, authority: input.authority ?? null },
				{ audit: false }
			);
			byKey.set(input.key, { traitId: trait.id, versionId: version.id });
			continue;
		}
		if (updateExisting && ctx.actorId !== null) {
			editTrait(tx, ctx.actorId, found.id, {
				title: input.title,
				description: input.description,
				rubric: input.rubric ?? null,
				authority: input.authority ?? null
			});
		}
		byKey.set(input.key, { traitId: found.id, versionId: currentVersionId(tx, found.id) });
	}
	return { constitution, byKey };
}

function currentVersionId(tx: DB, traitId: number): number {
	const row = tx
		.select({ id: traitVersions.id })
		.from(traitVersions)
		.innerJoin(
			traits,
			and(eq(traits.id, traitVersions.traitId), eq(traits.currentVersion, traitVersions.version))
		)
		.where(eq(traits.id, traitId))
		.get();
	if (!row) throw new Error(`Trait ${traitId} has no current version.`);
	return row.id;
}
