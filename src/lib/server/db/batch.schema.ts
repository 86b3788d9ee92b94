import { ne, sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	real,
	sqliteTable,
	text,
	uniqueIndex
} from 'drizzle-orm/sqlite-core';
// Relative, not $lib: drizzle-kit loads this schema outside of Vite.
import { OVERLAP_MAX, OVERLAP_MIN } from '../../batch-settings';
import type { Turn } from '../imports/types';
import { users } from './auth.schema';
import { constitutions, prompts, traits, traitVersions } from './catalog.schema';

/**
 * `importing`: a batch being written in chunks by an import. Nobody sees it; it becomes a draft
 * in the transaction that writes its last items, or is removed if its import dies.
 */
export const BATCH_STATUSES = ['importing', 'draft', 'open', 'locked'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const batches = sqliteTable(
	'batches',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		constitutionId: integer('constitution_id')
			.notNull()
			.references(() => constitutions.id, { onDelete: 'restrict' }),
		name: text('name').notNull().unique(),
		status: text('status', { enum: BATCH_STATUSES }).notNull().default('draft'),
		scalePoints: integer('scale_points').notNull().default(7),
		/** Submitted reviews wanted per item. */
		overlap: integer('overlap').notNull().default(3),
		/** Blind batches show reviewers no model names and no AI scores. */
		blind: integer('blind', { mode: 'boolean' }).notNull().default(true),
		/** Calibration batches reveal the reference labels to a reviewer after they submit. */
		calibration: integer('calibration', { mode: 'boolean' }).notNull().default(false),
		/** The chance that a claim hands out a gold item (0 to GOLD_RATE_MAX). */
		goldRate: real('gold_rate').notNull().default(0.05),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' })
			.notNull()
			.default(sql`(unixepoch('subsec') * 1000)`),
		openedAt: integer('opened_at', { mode: 'timestamp_ms' }),
		lockedAt: integer('locked_at', { mode: 'timestamp_ms' })
	},
	(t) => [
		check('batches_status_check', sql`${t.status} in ('importing', 'draft', 'open', 'locked')`),
		check('batches_scale_check', sql`${t.scalePoints} between 2 and 10`),
		check(
			'batches_overlap_check',
			sql`${t.overlap} between ${sql.raw(String(OVERLAP_MIN))} and ${sql.raw(String(OVERLAP_MAX))}`
		)
	]
);

/**
 * The condition every query that lists, shows or acts on batches adds: a batch still
 * `importing` is nobody's to see, by any page, queue, export or API.
 */
export const batchVisible = ne(batches.status, 'importing');

export const items = sqliteTable(
	'items',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' }),
		traitId: integer('trait_id')
			.notNull()
			.references(() => traits.id),
		/** The trait's wording when the item was imported; reviews record the version they saw. */
		traitVersionId: integer('trait_version_id')
			.notNull()
			.references(() => traitVersions.id),
		promptId: integer('prompt_id').references(() => prompts.id, { onDelete: 'set null' }),
		externalId: text('external_id').notNull(),
		prompt: text('prompt', { mode: 'json' }).notNull().$type<Turn[]>(),
		/** The prompt's text, flattened, for search. */
		promptText: text('prompt_text').notNull(),
		metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown> | null>(),
		responseCount: integer('response_count').notNull(),
		sourceLine: integer('source_line').notNull(),
		/** Kept in step with the submitted reviews, so the queue can pick without counting. */
		submittedCount: integer('submitted_count').notNull().default(0),
		/** A random key fixed at import: the queue's stable random order among equals. */
		shuffleKey: integer('shuffle_key')
			.notNull()
			.default(sql`(abs(random()) % 2147483647)`),
		/**
		 * A gold item's expected order: groups of tied response ids, best first (responses in no
		 * group are left out of the comparison). Null for an ordinary item.
		 */
		goldOrder: text('gold_order', { mode: 'json' }).$type<number[][] | null>()
	},
	(t) => [
		uniqueIndex('items_batch_external_idx').on(t.batchId, t.externalId),
		index('items_batch_trait_idx').on(t.batchId, t.traitId),
		index('items_queue_idx').on(t.batchId, t.submittedCount, t.shuffleKey),
		// Gold items are few: the queue finds a batch's own without reading its ordinary ones.
		index('items_gold_idx')
			.on(t.batchId, t.submittedCount, t.shuffleKey)
			.where(sql`${t.goldOrder} is not null`)
	]
);

export const REFERENCE_LABELS = ['good', 'bad', 'ok'] as const;

export const responses = sqliteTable(
	'responses',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		itemId: integer('item_id')
			.notNull()
			.references(() => items.id, { onDelete: 'cascade' }),
		/** Order in the imported file (0-based); reviewers see their own shuffled order. */
		position: integer('position').notNull(),
		externalId: text('external_id'),
		model: text('model'),
		/** Exactly as imported; rendered as escaped markdown, never as HTML. */
		content: text('content').notNull(),
		aiScore: real('ai_score'),
		aiRank: integer('ai_rank'),
		referenceLabel: text('reference_label', { enum: REFERENCE_LABELS }),
		referenceReason: text('reference_reason'),
		metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown> | null>()
	},
	(t) => [
		uniqueIndex('responses_item_position_idx').on(t.itemId, t.position),
		index('responses_model_idx').on(t.model)
	]
);

export const imports = sqliteTable(
	'imports',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		/** SHA-256 of the file's bytes: the same file is never imported twice. */
		fileSha256: text('file_sha256').notNull(),
		fileName: text('file_name').notNull(),
		format: text('format').notNull(),
		constitutionId: integer('constitution_id')
			.notNull()
			.references(() => constitutions.id, { onDelete: 'cascade' }),
		batchId: integer('batch_id').references(() => batches.id, { onDelete: 'cascade' }),
		itemCount: integer('item_count').notNull(),
		responseCount: integer('response_count').notNull(),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' })
			.notNull()
			.default(sql`(unixepoch('subsec') * 1000)`),
		/**
		 * Who is writing the batch while it is `importing`: host, process id and that process's
		 * start time, and when it last committed a chunk. A batch whose writer is gone is removed
		 * at start. Cleared when the import completes.
		 */
		writerHost: text('writer_host'),
		writerPid: integer('writer_pid'),
		writerStartedAt: integer('writer_started_at', { mode: 'timestamp_ms' }),
		heartbeatAt: integer('heartbeat_at', { mode: 'timestamp_ms' })
	},
	(t) => [uniqueIndex('imports_sha_idx').on(t.fileSha256)]
);

export type Batch = typeof batches.$inferSelect;
export type Item = typeof items.$inferSelect;
export type Response = typeof responses.$inferSelect;
export type Import = typeof imports.$inferSelect;
