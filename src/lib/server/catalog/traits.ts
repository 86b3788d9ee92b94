import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit';
import type { DB } from '../db';
import { inWriteTransaction } from '../db/write';
import { constitutions, prompts, traits, traitVersions } from '../db/schema';
import { isUniqueViolation } from '../db/unique-violation';
import { parseDomainInput } from '../domain-input';
import { DomainError } from '../errors';

export const traitKeySchema = z
	.string()
	.trim()
	.min(1, 'Give the trait a key.')
	.max(100, 'Trait keys can have at most 100 characters.')
	.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'Use letters, digits, dots, dashes and underscores.');

export const AUTHORITY_LEVELS = ['platform', 'root', 'system', 'developer', 'user', 'guideline'];

export const traitContentSchema = z.object({
	title: z
		.string()
		.trim()
		.min(1, 'Give the trait a title.')
		.max(200, 'Titles can have at most 200 characters.'),
	description: z
		.string()
		.max(50_000, 'Descriptions can have at most 50,000 characters.')
		.default(''),
	rubric: z
		.array(z.string().trim().max(500, 'Each rubric line can have at most 500 characters.'))
		.max(10, 'A rubric has at most 10 lines.')
		.nullable()
		.default(null),
	authority: z
		.string()
		.trim()
		.max(40, 'Authority levels can have at most 40 characters.')
		.nullable()
		.default(null)
});
export type TraitContent = z.input<typeof traitContentSchema>;

/** Traits with their current wording and how many prompts wait for responses. */
export function listTraits(db: DB, constitutionId: number, options: { archived?: boolean } = {}) {
	return db
		.select({
			id: traits.id,
			key: traits.key,
			version: traits.currentVersion,
			archivedAt: traits.archivedAt,
			title: traitVersions.title,
			description: traitVersions.description,
			authority: traitVersions.authority,
			promptCount: sql<number>`(select count(*) from prompts p where p.trait_id = "traits"."id")`
		})
		.from(traits)
		.innerJoin(
			traitVersions,
			and(eq(traitVersions.traitId, traits.id), eq(traitVersions.version, traits.currentVersion))
		)
		.where(
			and(
				eq(traits.constitutionId, constitutionId),
				options.archived ? undefined : isNull(traits.archivedAt)
			)
		)
		.orderBy(asc(traits.id))
		.all();
}

export function createTrait(
	db: DB,
	actorId: number | null,
	constitutionId: number,
	input: { key: string } & TraitContent,
	options: { audit?: boolean } = {}
) {
	const { key } = parseDomainInput(z.object({ key: traitKeySchema }), input);
	const content = parseDomainInput(traitContentSchema, input);
	try {
		// The trait and its first version stand or fall together (a savepoint inside an import).
		return inWriteTransaction(db, (tx) => {
			const constitution = tx
				.select({ id: constitutions.id })
				.from(constitutions)
				.where(eq(constitutions.id, constitutionId))
				.get();
			if (!constitution) throw new DomainError('There is no such constitution.', undefined, 404);
			const trait = tx.insert(traits).values({ constitutionId, key }).returning().get();
			const version = tx
				.insert(traitVersions)
				.values({ traitId: trait.id, version: 1, ...content, createdBy: actorId })
				.returning()
				.get();
			if (options.audit !== false) {
				recordAudit(tx, {
					actorId,
					action: 'trait.create',
					targetType: 'trait',
					targetId: trait.id,
					newValue: { key, ...content }
				});
			}
			return { trait, version };
		});
	} catch (e) {
		if (isUniqueViolation(e, 'traits.constitution_id, traits.key')) {
			throw new DomainError(`This constitution already has a trait "${key}".`, 'key');
		}
		throw e;
	}
}

export function getTrait(db: DB, traitId: number) {
	const trait = db.select().from(traits).where(eq(traits.id, traitId)).get();
	if (!trait) return undefined;
	const versions = db
		.select()
		.from(traitVersions)
		.where(eq(traitVersions.traitId, traitId))
		.orderBy(desc(traitVersions.version))
		.all();
	const promptCount =
		db
			.select({ n: sql<number>`count(*)` })
			.from(prompts)
			.where(eq(prompts.traitId, traitId))
			.get()?.n ?? 0;
	return { trait, versions, current: versions[0], promptCount };
}

/** An edit never rewrites history: it adds a version, and reviews keep the one they saw. */
export function editTrait(db: DB, actorId: number, traitId: number, input: TraitContent) {
	const content = parseDomainInput(traitContentSchema, input);
	return inWriteTransaction(db, (tx) => {
		const found = getTrait(tx, traitId);
		if (!found) throw new DomainError('That trait does not exist.', undefined, 404);
		const { trait, current } = found;
		const unchanged =
			current.title === content.title &&
			current.description === content.description &&
			JSON.stringify(current.rubric ?? null) === JSON.stringify(content.rubric) &&
			(current.authority ?? null) === content.authority;
		if (unchanged) return current;
		const version = trait.currentVersion + 1;
		const row = tx
			.insert(traitVersions)
			.values({ traitId, version, ...content, createdBy: actorId })
			.returning()
			.get();
		tx.update(traits).set({ currentVersion: version }).where(eq(traits.id, traitId)).run();
		recordAudit(tx, {
			actorId,
			action: 'trait.edit',
			targetType: 'trait',
			targetId: traitId,
			oldValue: { version: current.version, title: current.title },
			newValue: { version, title: content.title }
		});
		return row;
	});
}

export function setTraitArchived(db: DB, actorId: number, traitId: number, archived: boolean) {
	inWriteTransaction(db, (tx) => {
		const trait = tx.select().from(traits).where(eq(traits.id, traitId)).get();
		if (!trait) throw new DomainError('That trait does not exist.', undefined, 404);
		if (Boolean(trait.archivedAt) === archived) return;
		tx.update(traits)
			.set({ archivedAt: archived ? new Date() : null })
			.where(eq(traits.id, traitId))
			.run();
		recordAudit(tx, {
			actorId,
			action: archived ? 'trait.archive' : 'trait.restore',
			targetType: 'trait',
			targetId: traitId,
			oldValue: { archived: !archived },
			newValue: { archived }
		});
	});
}
