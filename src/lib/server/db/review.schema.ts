import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	primaryKey,
	sqliteTable,
	text,
	uniqueIndex
} from 'drizzle-orm/sqlite-core';
import { users } from './auth.schema';
import { batches, items, responses } from './batch.schema';
import { traitVersions } from './catalog.schema';
// Relative, not $lib: drizzle-kit loads this schema outside of Vite.
import type { ReviewFlag } from '../../review-input';
import { EVIDENCE_STANCES } from '../../evidence';

export type { ReviewFlag };

/** A researcher's right to review a batch, with an optional cap on how many items. */
export const assignments = sqliteTable(
	'assignments',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		quota: integer('quota'),
		createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' })
			.notNull()
			.default(sql`(unixepoch('subsec') * 1000)`)
	},
	(t) => [
		uniqueIndex('assignments_batch_user_idx').on(t.batchId, t.userId),
		index('assignments_user_idx').on(t.userId)
	]
);

/** An item handed to a researcher; it holds a review slot until it expires. */
export const leases = sqliteTable(
	'leases',
	{
		itemId: integer('item_id')
			.notNull()
			.references(() => items.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' }),
		claimedAt: integer('claimed_at', { mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		primaryKey({ columns: [t.itemId, t.userId] }),
		// The primary key serves lookups by item; every extra index is written on each claim.
		index('leases_user_batch_idx').on(t.userId, t.batchId)
	]
);

export const REVIEW_STATUSES = ['draft', 'submitted', 'skipped'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** One researcher's judgement of one item: at most one per (item, researcher). */
export const reviews = sqliteTable(
	'reviews',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		itemId: integer('item_id')
			.notNull()
			.references(() => items.id, { onDelete: 'cascade' }),
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		status: text('status', { enum: REVIEW_STATUSES }).notNull().default('draft'),
		/** The trait wording the reviewer was shown. */
		traitVersionId: integer('trait_version_id')
			.notNull()
			.references(() => traitVersions.id),
		/** Response ids in the order this reviewer saw them. */
		shownOrder: text('shown_order', { mode: 'json' }).notNull().$type<number[]>(),
		overallComment: text('overall_comment').notNull().default(''),
		flags: text('flags', { mode: 'json' })
			.notNull()
			.$type<ReviewFlag[]>()
			.default(sql`'[]'`),
		skipReason: text('skip_reason'),
		timeSpentMs: integer('time_spent_ms').notNull().default(0),
		startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
		submittedAt: integer('submitted_at', { mode: 'timestamp_ms' })
	},
	(t) => [
		uniqueIndex('reviews_item_user_idx').on(t.itemId, t.userId),
		index('reviews_batch_status_idx').on(t.batchId, t.status),
		index('reviews_user_batch_idx').on(t.userId, t.batchId, t.status),
		check('reviews_status_check', sql`${t.status} in ('draft', 'submitted', 'skipped')`)
	]
);

/** A review's judgement of one response: score, rank (1 = best, ties allowed) and comment. */
export const reviewResponses = sqliteTable(
	'review_responses',
	{
		reviewId: integer('review_id')
			.notNull()
			.references(() => reviews.id, { onDelete: 'cascade' }),
		responseId: integer('response_id')
			.notNull()
			.references(() => responses.id, { onDelete: 'cascade' }),
		score: integer('score'),
		rank: integer('rank'),
		comment: text('comment').notNull().default('')
	},
	(t) => [primaryKey({ columns: [t.reviewId, t.responseId] })]
);

/**
 * A stretch of one response's raw text that a reviewer marks as evidence for or against the
 * trait. Offsets count UTF-16 code units of `responses.content` (what JavaScript's string
 * indexes and a textarea's selection give), so rendering the markdown never moves them.
 */
export const evidenceSpans = sqliteTable(
	'evidence_spans',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		reviewId: integer('review_id')
			.notNull()
			.references(() => reviews.id, { onDelete: 'cascade' }),
		responseId: integer('response_id')
			.notNull()
			.references(() => responses.id, { onDelete: 'cascade' }),
		start: integer('start').notNull(),
		end: integer('end').notNull(),
		stance: text('stance', { enum: EVIDENCE_STANCES }).notNull(),
		note: text('note'),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		index('evidence_spans_review_idx').on(t.reviewId),
		check('evidence_spans_range_check', sql`${t.start} >= 0 AND ${t.start} < ${t.end}`),
		check('evidence_spans_stance_check', sql`${t.stance} in ('for', 'against')`)
	]
);

export type Assignment = typeof assignments.$inferSelect;
export type Lease = typeof leases.$inferSelect;
export type Review = typeof reviews.$inferSelect;
export type ReviewResponse = typeof reviewResponses.$inferSelect;
export type EvidenceSpan = typeof evidenceSpans.$inferSelect;
