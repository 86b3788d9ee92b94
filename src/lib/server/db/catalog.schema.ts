import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth.schema';

const createdAt = () =>
	integer('created_at', { mode: 'timestamp_ms' })
		.notNull()
		.default(sql`(unixepoch('subsec') * 1000)`);

export const constitutions = sqliteTable('constitutions', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	name: text('name').notNull().unique(),
	description: text('description').notNull().default(''),
	/** Where it came from: 'manual', 'oct', 'model-spec', 'native', 'trl'. */
	source: text('source').notNull().default('manual'),
	createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
	createdAt: createdAt()
});

/** A trait's identity. Its wording lives in trait_versions; an edit adds a version. */
export const traits = sqliteTable(
	'traits',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		constitutionId: integer('constitution_id')
			.notNull()
			.references(() => constitutions.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		currentVersion: integer('current_version').notNull().default(1),
		archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('traits_constitution_key_idx').on(t.constitutionId, t.key)]
);

export const traitVersions = sqliteTable(
	'trait_versions',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		traitId: integer('trait_id')
			.notNull()
			.references(() => traits.id, { onDelete: 'cascade' }),
		version: integer('version').notNull(),
		title: text('title').notNull(),
		description: text('description').notNull().default(''),
		/** One short description per point of the rating scale, lowest first; null without rubric. */
		rubric: text('rubric', { mode: 'json' }).$type<string[] | null>(),
		/** Model Spec authority level (root, system, developer, user, guideline). */
		authority: text('authority'),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('trait_versions_trait_version_idx').on(t.traitId, t.version)]
);

/**
 * Prompts waiting for responses, such as the questions of an Open Character Training
 * constitution. A later import of responses links its items to them.
 */
export const prompts = sqliteTable(
	'prompts',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		traitId: integer('trait_id')
			.notNull()
			.references(() => traits.id, { onDelete: 'cascade' }),
		externalId: text('external_id').notNull(),
		text: text('text').notNull(),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('prompts_trait_external_idx').on(t.traitId, t.externalId),
		index('prompts_trait_text_idx').on(t.traitId, t.text)
	]
);

export type Constitution = typeof constitutions.$inferSelect;
export type Trait = typeof traits.$inferSelect;
export type TraitVersion = typeof traitVersions.$inferSelect;
export type Prompt = typeof prompts.$inferSelect;
