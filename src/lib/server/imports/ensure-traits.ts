import { and, eq, inArray } from 'drizzle-orm';
import { createConstitution, createTrait, editTrait, findConstitutionByName } from '../catalog';
import type { DB } from '../db';
import { constitutions, traits, traitVersions } from '../db/schema';
import type { ParsedTrait } from './types';
import type { WriteContext } from './writer';

export type TraitInput = Pick<
	ParsedTrait,
	'key' | 'title' | 'description' | 'authority' | 'rubric'
>;

/**
 * Finds or creates the constitution and its traits; returns key → (trait id, version id), and
 * `createdAt`, the time this import stamps on what it creates and on its import record.
 *
 * The stamp is how a failed import's cleanup tells what the import created from what was there
 * before (leftovers.ts), without a column for it: it is later than the creation time of the
 * constitution and every trait the import found, so nothing that existed before shares it.
 */
export function ensureTraits(
	tx: DB,
	ctx: WriteContext,
	wanted: TraitInput[],
	updateExisting: boolean
) {
	const known = findConstitutionByName(tx, ctx.constitutionName);
	const constitution =
		known ??
		createConstitution(tx, ctx.actorId, { name: ctx.constitutionName, source: ctx.format });
	const byKey = new Map<string, { traitId: number; versionId: number }>();
	const existing = tx
		.select({
			id: traits.id,
			key: traits.key,
			version: traits.currentVersion,
			createdAt: traits.createdAt
		})
		.from(traits)
		.where(eq(traits.constitutionId, constitution.id))
		.all();
	const createdAt = importStamp(known ? [known, ...existing] : []);
	if (!known) stampCreated(tx, constitutions, [constitution.id], createdAt);
	const existingByKey = new Map(existing.map((t) => [t.key, t]));
	const created: number[] = [];
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
			created.push(trait.id);
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
	stampCreated(tx, traits, created, createdAt);
	return { constitution, byKey, createdAt };
}

/** Now, or just after the newest of `before` when a clock (of this or another host) is behind. */
function importStamp(before: { createdAt: Date }[]): Date {
	const newest = Math.max(0, ...before.map((row) => row.createdAt.getTime()));
	return new Date(Math.max(Date.now(), newest + 1));
}

function stampCreated(
	tx: DB,
	table: typeof constitutions | typeof traits,
	ids: number[],
	createdAt: Date
): void {
	if (ids.length) tx.update(table).set({ createdAt }).where(inArray(table.id, ids)).run();
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
