import { blob, index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { batches, items } from './batch.schema';

/**
 * Running tallies behind the batch dashboard, so that its first load reads a few small tables
 * instead of every review (src/lib/server/dashboard/tallies). Each is changed in the same
 * transaction as the write that changes what it counts:
 * - the review tallies (reviewer_tallies, submission_tallies) by triggers on `reviews`
 *   (migrations/0006), whoever writes;
 * - the item and agreement tallies by refreshItemTallies, which a decision and a review import
 *   call in their transaction; a batch's are built once (batch_tallies) from what it holds.
 * A researcher's submit or edit does not refresh them: it marks the item stale (stale_tallies)
 * in its own transaction, and the marks are refreshed off the request path, several items of a
 * batch at a time, and before anything reads the batch's tallies (ensureBatchTallies).
 */

/** Per trait of a batch, what never changes once its items are imported. */
export type TraitFacts = {
	traitId: number;
	items: number;
	/** Items that have responses to review. */
	withResponses: number;
	/** Items whose responses carry AI ranks or scores. */
	withAi: number;
};

/** A batch whose item and agreement tallies are complete: every item is counted in them. */
export const batchTallies = sqliteTable('batch_tallies', {
	batchId: integer('batch_id')
		.primaryKey()
		.references(() => batches.id, { onDelete: 'cascade' }),
	traits: text('traits', { mode: 'json' }).notNull().$type<TraitFacts[]>(),
	builtAt: integer('built_at', { mode: 'timestamp_ms' }).notNull()
});

/**
 * Items whose item and agreement tallies lag behind their submitted reviews: written with the
 * submit or edit that changed them, so a crash before the refresh leaves the mark, not a wrong
 * figure. Keyed by batch first: a batch's marks are what its dashboard refreshes first. No
 * index by item: the refresher keeps the table near empty, so the rare item delete (of an
 * abandoned import, which has no reviews) scans it for nothing, while an index would cost every
 * submit a second b-tree to write.
 */
export const staleTallies = sqliteTable(
	'stale_tallies',
	{
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' }),
		itemId: integer('item_id')
			.notNull()
			.references(() => items.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.batchId, t.itemId] })]
);

/**
 * What one item adds to the batch's measures, kept so that it can be taken out again when the
 * item changes. Only items with submitted reviews or a decision have one.
 */
export const itemTallies = sqliteTable(
	'item_tallies',
	{
		itemId: integer('item_id')
			.primaryKey()
			.references(() => items.id, { onDelete: 'cascade' }),
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' }),
		traitId: integer('trait_id').notNull(),
		/** The item's submitted_count when last counted. */
		submitted: integer('submitted').notNull(),
		/** Scores given in its submitted reviews. */
		ratings: integer('ratings').notNull(),
		/** Kendall's W of its reviewers' rankings. */
		concordance: real('concordance'),
		/** Kendall's tau-b between the AI order and the consensus. */
		aiTau: real('ai_tau'),
		/** Its scores per response and its consensus positions (see dashboard/tallies/state.ts). */
		state: text('state').notNull()
	},
	// By batch, in item order, for the dashboard; an entry that never changes, so a write
	// rewrites only the item's row.
	(t) => [index('item_tallies_batch_idx').on(t.batchId)]
);

export const AGREEMENT_SCOPES = ['batch', 'trait', 'without'] as const;

/**
 * Krippendorff's pair counts (stats/krippendorff.ts, PairCell): for the batch, per trait
 * (subject = trait id), and per reviewer the change that leaving them out makes (subject = user
 * id; these counts go negative). Integers, so a unit taken out and put back leaves no trace.
 * Each scope's cells are one row, sorted 32-bit integers [size, a, b, pairs, …] (see
 * dashboard/tallies/cells.ts): a submit changes a hundred cells or more, but only in the rows
 * of the batch, its trait and the item's reviewers.
 */
export const agreementTallies = sqliteTable(
	'agreement_tallies',
	{
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' }),
		scope: text('scope', { enum: AGREEMENT_SCOPES }).notNull(),
		subject: integer('subject').notNull(),
		cells: blob('cells', { mode: 'buffer' }).notNull()
	},
	(t) => [primaryKey({ columns: [t.batchId, t.scope, t.subject] })]
);

/** GOOD × BAD pairs by where the consensus puts them, per trait. */
export const referenceTallies = sqliteTable(
	'reference_tallies',
	{
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' }),
		traitId: integer('trait_id').notNull(),
		items: integer('items').notNull(),
		pairs: integer('pairs').notNull(),
		above: integer('above').notNull(),
		tied: integer('tied').notNull(),
		below: integer('below').notNull()
	},
	(t) => [primaryKey({ columns: [t.batchId, t.traitId] })]
);

/** Games between models per trait: pairs of responses the consensus does not tie. */
export const modelGameTallies = sqliteTable(
	'model_game_tallies',
	{
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' }),
		traitId: integer('trait_id').notNull(),
		winner: text('winner').notNull(),
		loser: text('loser').notNull(),
		games: integer('games').notNull()
	},
	(t) => [primaryKey({ columns: [t.batchId, t.traitId, t.winner, t.loser] })]
);

/**
 * Bradley-Terry strengths with bootstrap intervals per trait, kept with a digest of the game
 * counts they came from: a bootstrap takes up to half a second per trait, so it is run again
 * only when the games change, not on every start.
 */
export const modelSummaries = sqliteTable(
	'model_summaries',
	{
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' }),
		traitId: integer('trait_id').notNull(),
		digest: text('digest').notNull(),
		summary: text('summary').notNull()
	},
	(t) => [primaryKey({ columns: [t.batchId, t.traitId] })]
);

/** Reviews per researcher and status (kept by triggers). */
export const reviewerTallies = sqliteTable(
	'reviewer_tallies',
	{
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' }),
		userId: integer('user_id').notNull(),
		status: text('status').notNull(),
		reviews: integer('reviews').notNull()
	},
	(t) => [primaryKey({ columns: [t.batchId, t.userId, t.status] })]
);

export const SUBMISSION_MEASURES = ['day', 'second', 'ms'] as const;

/**
 * Submitted reviews by UTC day of first submission, and by time spent in whole seconds and in
 * milliseconds (kept by triggers). The seconds find the bin and the neighbourhood of a median;
 * the milliseconds within one second give its exact value.
 */
export const submissionTallies = sqliteTable(
	'submission_tallies',
	{
		batchId: integer('batch_id')
			.notNull()
			.references(() => batches.id, { onDelete: 'cascade' }),
		measure: text('measure', { enum: SUBMISSION_MEASURES }).notNull(),
		value: integer('value').notNull(),
		reviews: integer('reviews').notNull()
	},
	(t) => [primaryKey({ columns: [t.batchId, t.measure, t.value] })]
);

export type ItemTally = typeof itemTallies.$inferSelect;
