import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from './audit';
import {
	cachedForBatch,
	ensureBatchTallies,
	readTalliedSpreads,
	refreshItemTallies
} from './dashboard';
import type { AppDB, DB } from './db';
import { statement } from './db/statements';
import { inWriteTransaction } from './db/write';
import { adjudications, batches, batchVisible, users } from './db/schema';
import { parseDomainInput } from './domain-input';
import { DomainError } from './errors';
import { isBatchExported } from './exports';
import {
	consensusAdjudication,
	consensusInput,
	readItem,
	type AdjudicationRecord,
	type ItemRecord
} from './item-records';
import type { Turn } from './imports';
import { flaggedItemIds } from './judging';
import { batchReviewerLabels } from './pseudonyms';
import { computeConsensus, itemAgreement, itemSpread } from './stats';

export type Disagreement = {
	itemId: number;
	externalId: string;
	traitKey: string;
	prompt: string;
	reviews: number;
	/** Mean score SD plus (1 - Kendall's W): the higher, the more the reviewers differ. */
	spread: number;
	scoreSd: number | null;
	rankDiscord: number | null;
	decision: AdjudicationRecord['decision'] | null;
	/** Sent here by a lead (from the Judge and position page): listed first until decided. */
	flagged: boolean;
};

export const DISAGREEMENT_PAGE_SIZE = 50;

/** A row of the list before its texts: ranking, filtering and paging need none. */
type RankedRow = Omit<Disagreement, 'externalId' | 'prompt'>;

function disagreementRow(item: ItemRecord, flagged = false): RankedRow {
	const spread = itemSpread(consensusInput(item));
	return {
		itemId: item.id,
		traitKey: item.traitKey,
		reviews: item.reviews.length,
		spread: spread.total,
		scoreSd: spread.scoreSd,
		rankDiscord: spread.rankDiscord,
		decision: item.adjudication?.decision ?? null,
		flagged
	};
}

/**
 * Every item with two or more submitted reviews, most disputed first: the unfiltered list,
 * from the dashboard's item tallies, one small row per item. A batch whose tallies were never
 * counted (imported since the server started, and its dashboard not opened yet) is counted
 * first, once, as the dashboard would.
 */
async function rankDisagreements(db: AppDB, batchId: number): Promise<RankedRow[]> {
	await ensureBatchTallies(db, batchId);
	const tallied = readTalliedSpreads(db.$client, batchId);
	if (!tallied) throw new Error(`The tallies of batch ${batchId} were not counted.`);
	const decisions = new Map(
		db
			.select({ itemId: adjudications.itemId, decision: adjudications.decision })
			.from(adjudications)
			.where(eq(adjudications.batchId, batchId))
			.all()
			.map((row) => [row.itemId, row.decision])
	);
	return tallied
		.map(({ itemId, traitKey, reviews, total, scoreSd, rankDiscord }) => ({
			itemId,
			traitKey,
			reviews,
			spread: total,
			scoreSd,
			rankDiscord,
			decision: decisions.get(itemId) ?? null,
			flagged: false
		}))
		.sort((a, b) => b.spread - a.spread || a.itemId - b.itemId);
}

/**
 * The ranked list with the items sent here by hand: those still undecided first (in the list's
 * order), the others in their place. A sent item with fewer than two reviews is read on its own.
 */
function withFlaggedFirst(db: AppDB, batchId: number, ranked: RankedRow[]): RankedRow[] {
	const flagged = flaggedItemIds(db, batchId);
	if (flagged.size === 0) return ranked;
	const rows = ranked.map((row) => (flagged.has(row.itemId) ? { ...row, flagged: true } : row));
	const listed = new Set(ranked.map((row) => row.itemId));
	for (const itemId of flagged) {
		const item = listed.has(itemId) ? null : readItem(db.$client, batchId, itemId);
		if (item) rows.push(disagreementRow(item, true));
	}
	const first = (row: RankedRow) => (row.flagged && row.decision === null ? 0 : 1);
	// A stable sort: each part keeps the spread order.
	return rows.sort((a, b) => first(a) - first(b));
}

/** A page's rows with what they show of each item: its id in the file and its prompt. */
function withTexts(db: AppDB, rows: RankedRow[]): Disagreement[] {
	const texts = new Map(
		(
			statement(
				db.$client,
				`SELECT id, external_id AS externalId, prompt FROM items
				  WHERE id IN (SELECT value FROM json_each(?))`
			).all(JSON.stringify(rows.map((row) => row.itemId))) as {
				id: number;
				externalId: string;
				prompt: string;
			}[]
		).map((item) => [item.id, item])
	);
	return rows.map((row) => {
		const item = texts.get(row.itemId);
		const prompt = item ? (JSON.parse(item.prompt) as Turn[]) : [];
		const last = prompt.findLast((turn) => turn.role === 'user') ?? prompt[0];
		return {
			...row,
			externalId: item?.externalId ?? '',
			prompt: (last?.content ?? '').slice(0, 160)
		};
	});
}

/**
 * Items with at least two submitted reviews, most disputed first, after the undecided items a
 * lead sent here; filtered and paged. The ranking is kept until a review or decision changes
 * it; the items sent here, and the texts of the page's rows, are read each time.
 */
export async function listDisagreements(
	db: AppDB,
	batchId: number,
	filter: { traitKey?: string; undecidedOnly?: boolean } = {},
	page = 1
): Promise<{ rows: Disagreement[]; total: number; pages: number; traits: string[] }> {
	const ranked = withFlaggedFirst(
		db,
		batchId,
		await cachedForBatch(db, batchId, 'disagreements', () => rankDisagreements(db, batchId))
	);
	const traits = [...new Set(ranked.map((row) => row.traitKey))].sort();
	const all = ranked.filter(
		(row) =>
			(!filter.traitKey || row.traitKey === filter.traitKey) &&
			(!filter.undecidedOnly || row.decision === null)
	);
	const pages = Math.max(1, Math.ceil(all.length / DISAGREEMENT_PAGE_SIZE));
	const start = (Math.min(page, pages) - 1) * DISAGREEMENT_PAGE_SIZE;
	return {
		rows: withTexts(db, all.slice(start, start + DISAGREEMENT_PAGE_SIZE)),
		total: all.length,
		pages,
		traits
	};
}

/** Everything a lead needs to decide on one item: every review side by side, and the consensus. */
export function loadAdjudication(db: AppDB, batchId: number, itemId: number, showNames: boolean) {
	const item = readItem(db.$client, batchId, itemId);
	if (!item) return null;
	const label = batchReviewerLabels(db, batchId, showNames);
	const input = consensusInput(item);
	const consensus = computeConsensus(input) ?? [];
	const decidedBy = item.adjudication?.decidedBy
		? db
				.select({ username: users.username })
				.from(users)
				.where(eq(users.id, item.adjudication.decidedBy))
				.get()?.username
		: undefined;
	return {
		item,
		reviewers: item.reviews.map((review) => ({ ...review, label: label(review.userId) })),
		consensus: consensus.map((entry) => ({ ...entry, responseId: Number(entry.responseId) })),
		agreement: itemAgreement(input),
		spread: itemSpread(input),
		adjudicated: item.adjudication
			? {
					...item.adjudication,
					decidedBy: decidedBy ?? null,
					order: computeConsensus(input, consensusAdjudication(item))
				}
			: null,
		frozen: isBatchExported(db, batchId)
	};
}

export const adjudicationSchema = z.discriminatedUnion('decision', [
	z.object({
		decision: z.literal('order'),
		order: z
			.array(z.array(z.number().int().positive()).min(1))
			.min(1, 'Set an order for the responses.'),
		note: z.string().trim().min(1, 'Say why, in a note.').max(5000)
	}),
	z.object({
		decision: z.literal('exclude'),
		note: z.string().trim().min(1, 'Say why the item is excluded, in a note.').max(5000)
	})
]);
export type AdjudicationInput = z.infer<typeof adjudicationSchema>;

/**
 * Decisions are final once an export of the batch is recorded (and an export that started
 * before a decision is refused, not recorded without it: see exports/freeze.ts). Callers run
 * this in an immediate transaction, so the check and the write see the same latest state.
 */
function ensureChangeable(db: DB, batchId: number) {
	const batch = db
		.select()
		.from(batches)
		.where(and(eq(batches.id, batchId), batchVisible))
		.get();
	if (!batch) throw new DomainError('There is no such batch.', undefined, 404);
	if (isBatchExported(db, batchId)) {
		throw new DomainError(
			'This batch has been exported, so its adjudications are final: the export records them.'
		);
	}
}

/** Sets (or replaces) the final word on an item. Audited with the old and new decision. */
export function adjudicateItem(
	db: AppDB,
	actorId: number,
	batchId: number,
	itemId: number,
	raw: unknown,
	now = new Date()
): void {
	const input = parseDomainInput(adjudicationSchema, raw);
	const item = readItem(db.$client, batchId, itemId);
	if (!item) throw new DomainError('There is no such item in this batch.', undefined, 404);
	if (input.decision === 'order') {
		const listed = input.order.flat();
		const ids = item.responses.map((r) => r.id);
		if (
			listed.length !== ids.length ||
			new Set(listed).size !== listed.length ||
			listed.some((id) => !ids.includes(id))
		) {
			throw new DomainError(
				'The order must list every response of the item exactly once.',
				'order'
			);
		}
	}
	inWriteTransaction(db, (tx) => {
		ensureChangeable(tx, batchId);
		const old = tx.select().from(adjudications).where(eq(adjudications.itemId, itemId)).get();
		const values = {
			decision: input.decision,
			finalOrder: input.decision === 'order' ? input.order : null,
			note: input.note,
			decidedBy: actorId,
			decidedAt: now
		};
		tx.insert(adjudications)
			.values({ itemId, batchId, ...values })
			.onConflictDoUpdate({ target: adjudications.itemId, set: values })
			.run();
		refreshItemTallies(db, batchId, itemId);
		recordAudit(
			tx,
			{
				actorId,
				action: old ? 'adjudication.change' : 'adjudication.create',
				targetType: 'item',
				targetId: itemId,
				oldValue: old ? { decision: old.decision, order: old.finalOrder, note: old.note } : null,
				newValue: { decision: values.decision, order: values.finalOrder, note: values.note }
			},
			now
		);
	});
}

/** Removes the decision: the reviewers' consensus counts again. Audited. */
export function clearAdjudication(
	db: AppDB,
	actorId: number,
	batchId: number,
	itemId: number
): void {
	inWriteTransaction(db, (tx) => {
		ensureChangeable(tx, batchId);
		const old = tx
			.select()
			.from(adjudications)
			.where(and(eq(adjudications.itemId, itemId), eq(adjudications.batchId, batchId)))
			.get();
		if (!old) throw new DomainError('This item has no adjudication to remove.');
		tx.delete(adjudications).where(eq(adjudications.itemId, itemId)).run();
		refreshItemTallies(db, batchId, itemId);
		recordAudit(tx, {
			actorId,
			action: 'adjudication.clear',
			targetType: 'item',
			targetId: itemId,
			oldValue: { decision: old.decision, order: old.finalOrder, note: old.note }
		});
	});
}
