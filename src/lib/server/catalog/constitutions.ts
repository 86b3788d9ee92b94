import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import type { DB } from '../db';
import { batches, batchVisible, constitutions } from '../db/schema';
import { isUniqueViolation } from '../db/unique-violation';
import { DomainError } from '../errors';

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

/** The batches imported into a constitution, newest first. */
export function listConstitutionBatches(db: DB, constitutionId: number) {
	return db
		.select({ id: batches.id, name: batches.name, status: batches.status })
		.from(batches)
		.where(and(eq(batches.constitutionId, constitutionId), batchVisible))
		.orderBy(desc(batches.createdAt))
		.all();
}
