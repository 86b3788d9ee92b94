// Rows for tests, written straight through the real schema: no import, no file, no audit event,
// so a test builds exactly what it needs in microseconds, as often as it likes.
import { eq, sql } from 'drizzle-orm';
import type { DB } from '../../src/lib/server/db';
import {
	assignments,
	batches,
	constitutions,
	items,
	responses,
	reviewResponses,
	reviews,
	traits,
	traitVersions,
	type Item,
	type Response,
	type ReviewFlag,
	type ReviewStatus,
	type Trait,
	type TraitVersion
} from '../../src/lib/server/db/schema';
import type { ReferenceLabel, Turn } from '../../src/lib/server/imports/types';
import type { Role } from '../../src/lib/roles';
import { createUser } from '../../src/lib/server/users';

let sequence = 0;
const next = () => ++sequence;

export const TEST_PASSWORD = 'correct horse battery';

/** A user through the real account code (hashed password), so they can log in. */
export async function makeUser(
	db: DB,
	overrides: { role?: Role; username?: string; password?: string; displayName?: string } = {}
) {
	const role = overrides.role ?? 'researcher';
	return createUser(db, null, {
		username: overrides.username ?? `${role}-${next()}`,
		displayName: overrides.displayName,
		role,
		password: overrides.password ?? TEST_PASSWORD
	});
}

export function makeConstitution(
	db: DB,
	overrides: Partial<typeof constitutions.$inferInsert> = {}
) {
	return db
		.insert(constitutions)
		.values({ name: `constitution-${next()}`, ...overrides })
		.returning()
		.get();
}

export type TraitRows = { trait: Trait; version: TraitVersion };

/** A trait with its first version; its title is its key unless given. */
export function makeTrait(
	db: DB,
	constitutionId: number,
	overrides: { key?: string; title?: string; description?: string; rubric?: string[] } = {}
): TraitRows {
	const key = overrides.key ?? `trait-${next()}`;
	const trait = db.insert(traits).values({ constitutionId, key }).returning().get();
	const version = db
		.insert(traitVersions)
		.values({
			traitId: trait.id,
			version: 1,
			title: overrides.title ?? key,
			description: overrides.description ?? '',
			rubric: overrides.rubric ?? null
		})
		.returning()
		.get();
	return { trait, version };
}

/** A batch (a draft unless `status` says otherwise), in a new constitution unless one is given. */
export function makeBatch(db: DB, overrides: Partial<typeof batches.$inferInsert> = {}) {
	const constitutionId = overrides.constitutionId ?? makeConstitution(db).id;
	return db
		.insert(batches)
		.values({ name: `batch-${next()}`, ...overrides, constitutionId })
		.returning()
		.get();
}

export type ResponseInput = {
	externalId?: string;
	model?: string;
	content?: string;
	aiScore?: number;
	aiRank?: number;
	reference?: ReferenceLabel;
	metadata?: Record<string, unknown>;
};

export type ItemRows = { item: Item; responses: Response[] };

/** An item of a batch for a trait, with its responses (two made-up ones unless given). */
export function makeItem(
	db: DB,
	batchId: number,
	{ trait, version }: TraitRows,
	input: {
		externalId?: string;
		prompt?: string | Turn[];
		responses?: ResponseInput[];
		metadata?: Record<string, unknown>;
		sourceLine?: number;
	} = {}
): ItemRows {
	const n = next();
	const prompt: Turn[] =
		typeof input.prompt === 'string' || input.prompt === undefined
			? [{ role: 'user', content: input.prompt ?? `Prompt ${n}` }]
			: input.prompt;
	const answers = input.responses ?? [{ content: `Answer ${n}a` }, { content: `Answer ${n}b` }];
	const item = db
		.insert(items)
		.values({
			batchId,
			traitId: trait.id,
			traitVersionId: version.id,
			externalId: input.externalId ?? `item-${n}`,
			prompt,
			promptText: prompt.map((t) => t.content).join('\n\n'),
			metadata: input.metadata ?? null,
			responseCount: answers.length,
			sourceLine: input.sourceLine ?? n
		})
		.returning()
		.get();
	const rows = answers.map((r, position) =>
		db
			.insert(responses)
			.values({
				itemId: item.id,
				position,
				externalId: r.externalId ?? null,
				model: r.model ?? null,
				content: r.content ?? `Answer ${n}.${position}`,
				aiScore: r.aiScore ?? null,
				aiRank: r.aiRank ?? null,
				referenceLabel: r.reference?.label ?? null,
				referenceReason: r.reference?.reason ?? null,
				metadata: r.metadata ?? null
			})
			.returning()
			.get()
	);
	return { item, responses: rows };
}

export function makeAssignment(
	db: DB,
	batchId: number,
	userId: number,
	quota: number | null = null
) {
	return db.insert(assignments).values({ batchId, userId, quota }).returning().get();
}

/** Ranks that follow the scores, ties sharing a rank (7, 4, 4, 1 → 1, 2, 2, 4). */
function competitionRanks(scores: (number | null)[]): (number | null)[] {
	return scores.map((score) =>
		score === null ? null : 1 + scores.filter((other) => other !== null && other > score).length
	);
}

/**
 * One researcher's review of an item, submitted unless `status` says otherwise. Scores, ranks
 * and comments go in the order of the item's responses; ranks follow the scores unless given.
 * A submitted review counts towards the item's reviews, as the review code keeps it.
 */
export function makeReview(
	db: DB,
	{ item, responses: answers }: ItemRows,
	userId: number,
	input: {
		status?: ReviewStatus;
		scores?: (number | null)[];
		ranks?: (number | null)[];
		comments?: string[];
		overallComment?: string;
		flags?: ReviewFlag[];
		skipReason?: string;
		timeSpentMs?: number;
		/** When it was started and last changed (now by default). */
		at?: Date;
		/** When it was submitted, if it was (`at` by default). */
		submittedAt?: Date;
	} = {}
) {
	const status = input.status ?? 'submitted';
	const scores = input.scores ?? answers.map((_, i) => answers.length - i);
	const ranks = input.ranks ?? competitionRanks(scores);
	const at = input.at ?? new Date();
	const review = db
		.insert(reviews)
		.values({
			itemId: item.id,
			batchId: item.batchId,
			userId,
			status,
			traitVersionId: item.traitVersionId,
			shownOrder: answers.map((r) => r.id),
			overallComment: input.overallComment ?? '',
			flags: input.flags ?? [],
			skipReason: input.skipReason ?? null,
			timeSpentMs: input.timeSpentMs ?? 60_000,
			startedAt: at,
			updatedAt: at,
			submittedAt: status === 'submitted' ? (input.submittedAt ?? at) : null
		})
		.returning()
		.get();
	if (status !== 'skipped') {
		db.insert(reviewResponses)
			.values(
				answers.map((r, i) => ({
					reviewId: review.id,
					responseId: r.id,
					score: scores[i] ?? null,
					rank: ranks[i] ?? null,
					comment: input.comments?.[i] ?? ''
				}))
			)
			.run();
	}
	if (status === 'submitted') {
		db.update(items)
			.set({ submittedCount: sql`${items.submittedCount} + 1` })
			.where(eq(items.id, item.id))
			.run();
	}
	return review;
}
