import { isUniqueViolation } from './db/unique-violation';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from './audit';
import type { DB } from './db';
import { constitutions, prompts, traits, traitVersions } from './db/schema';
import { DomainError } from './errors';

export const traitKeySchema = z
	.string()
	.trim()
	.min(1, 'Give the trait a key.')
	.max(100, 'Trait keys can have at most 100 characters.')
	.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'Use letters, digits, dots, dashes and underscores.');

export const AUTHORITY_LEVELS = ['platform', 'root', 'system', 'developer', 'user', 'guideline'];

export const traitContentSchema = z.object({
	title: z.string().trim().min(1, 'Give the trait a title.').max(200),
	description: z.string().max(50_000).default(''),
	rubric: z.array(z.string().trim().max(500)).max(10).nullable().default(null),
	authority: z.string().trim().max(40).nullable().default(null)
});
export type TraitContent = z.input<typeof traitContentSchema>;

export function createConstitution(
	db: DB,
	actorId: number | null,
	input: { name: string; description?: string; source?: string }
) {
	const name = input.name.trim();
	if (!name) throw new DomainError('Give the constitution a name.', 'name');
	if (name.length > 200) throw new DomainError('Names can have at most 200 characters.', 'name');
	try {
		const row = db
			.insert(constitutions)
			.values({
				name,
				description: input.description ?? '',
				source: input.source ?? 'manual',
				createdBy: actorId
			})
			.returning()
			.get();
		recordAudit(db, {
			actorId,
			action: 'constitution.create',
			targetType: 'constitution',
			targetId: row.id,
			newValue: { name }
		});
		return row;
	} catch (e) {
		if (isUniqueViolation(e, 'constitutions.name')) {
			throw new DomainError(`There is already a constitution named "${name}".`, 'name');
		}
		throw e;
	}
}

export function findConstitutionByName(db: DB, name: string) {
	return db.select().from(constitutions).where(eq(constitutions.name, name.trim())).get();
}

export function getConstitution(db: DB, id: number) {
	return db.select().from(constitutions).where(eq(constitutions.id, id)).get();
}

export function listConstitutions(db: DB) {
	return db
		.select({
			id: constitutions.id,
			name: constitutions.name,
			description: constitutions.description,
			source: constitutions.source,
			createdAt: constitutions.createdAt,
			traitCount: sql<number>`(select count(*) from traits t where t.constitution_id = "constitutions"."id" and t.archived_at is null)`
		})
		.from(constitutions)
		.orderBy(asc(constitutions.name))
		.all();
}

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
	const parsedKey = traitKeySchema.safeParse(input.key);
	if (!parsedKey.success) throw new DomainError(parsedKey.error.issues[0].message, 'key');
	const key = parsedKey.data;
	const content = traitContentSchema.parse(input);
	try {
		const trait = db.insert(traits).values({ constitutionId, key }).returning().get();
		const version = db
			.insert(traitVersions)
			.values({ traitId: trait.id, version: 1, ...content, createdBy: actorId })
			.returning()
			.get();
		if (options.audit !== false) {
			recordAudit(db, {
				actorId,
				action: 'trait.create',
				targetType: 'trait',
				targetId: trait.id,
				newValue: { key, ...content }
			});
		}
		return { trait, version };
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
	const content = traitContentSchema.parse(input);
	return db.transaction((tx) => {
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
	db.transaction((tx) => {
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
