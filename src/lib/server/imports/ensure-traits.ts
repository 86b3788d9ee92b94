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

/** Why an item's trait cannot take it: the full check of the file then says so (read-jsonl.ts). */
export class TraitRefused extends Error {}

/**
 * Finds or creates the constitution and the `wanted` traits; returns key → (trait id, version
 * id), `traitFor`, which finds the trait an item names, creating it on first sight when this
 * import created the constitution, and `createdAt`, the time this import stamps on what it
 * creates and on its import record.
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
			createdAt: traits.createdAt,
			archivedAt: traits.archivedAt
		})
		.from(traits)
		.where(eq(traits.constitutionId, constitution.id))
		.all();
	const createdAt = importStamp(known ? [known, ...existing] : []);
	if (!known) stampCreated(tx, constitutions, [constitution.id], createdAt);
	const existingByKey = new Map(existing.map((t) => [t.key, t]));
	const created: number[] = [];
	const create = (input: TraitInput) => {
		const { trait, version } = createTrait(
			tx,
			ctx.actorId,
			constitution.id,
			{ ...input, rubric: input.rubric ?? null, authority: input.authority ?? null },
			{ audit: false }
		);
		const ids = { traitId: trait.id, versionId: version.id };
		byKey.set(input.key, ids);
		created.push(trait.id);
		return ids;
	};
	for (const input of wanted) {
		const found = existingByKey.get(input.key);
		if (!found) {
			create(input);
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

	/**
	 * The trait an item names. A JSONL file lists no traits up front: its items name them, and
	 * the file is read once, so each is found (or, in a constitution this import creates,
	 * created) as the first item naming it goes in.
	 */
	const traitFor = (key: string) => {
		const ids = byKey.get(key);
		if (ids) return ids;
		const found = existingByKey.get(key);
		if (!found && known) throw new TraitRefused(`The constitution has no trait "${key}".`);
		if (!found) {
			const made = create({ key, title: key, description: '' });
			stampCreated(tx, traits, [made.traitId], createdAt);
			return made;
		}
		if (found.archivedAt) throw new TraitRefused(`The trait "${key}" is archived.`);
		const kept = { traitId: found.id, versionId: currentVersionId(tx, found.id) };
		byKey.set(key, kept);
		return kept;
	};
	/** Every trait an item may name: the wanted ones, and those the constitution had. */
	const traitIds = () => [
		...new Set([
			...[...byKey.values()].map((t) => t.traitId),
			...existing.filter((t) => !t.archivedAt).map((t) => t.id)
		])
	];
	return { constitution, byKey, traitFor, traitIds, createdAt };
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
