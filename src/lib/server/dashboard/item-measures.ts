import type { AppDB } from '../db';
import {
	consensusAdjudication,
	consensusInput,
	nextTurn,
	readItemChunks,
	type ItemRecord,
	type ResponseRecord
} from '../item-records';
import { computeConsensus, kendallTauB, kendallW, type ConsensusEntry } from '../stats';
import { ModelGames, type TraitModels } from './model-comparison';

/**
 * Measures over whole items: how far reviewers' rankings agree (concordance), how the human
 * consensus compares with AI judges and with reference labels, and trait by model.
 */

export type MeanOf = { mean: number | null; items: number };
export type ReferenceTally = {
	/** Items with at least one GOOD and one BAD response and a consensus. */
	items: number;
	/** GOOD × BAD response pairs within those items. */
	pairs: number;
	above: number;
	tied: number;
	below: number;
	/** above / pairs. */
	rate: number | null;
};
/** An item where the human consensus departs from the AI judge's order. */
export type AiDisagreement = {
	itemId: number;
	externalId: string;
	traitKey: string;
	tau: number;
	reviews: number;
	adjudicated: boolean;
	/** Responses by letter (A = first in the imported file), best first; "=" joins ties. */
	aiOrder: string;
	humanOrder: string;
};

export type ItemMeasures = {
	/** Kendall's W of the reviewers' rankings, averaged over items ranked fully by two or more. */
	concordance: MeanOf & { byTrait: (MeanOf & { key: string })[] };
	humanVsAi: {
		/** Items whose responses carry AI ranks or scores. */
		itemsWithAi: number;
		/** Mean over items of Kendall's tau-b between the AI order and the human consensus. */
		overall: MeanOf;
		byTrait: (MeanOf & { key: string })[];
		/** The items where the two orders differ most, lowest tau first. */
		disagreements: AiDisagreement[];
	};
	reference: ReferenceTally & { byTrait: (ReferenceTally & { key: string })[] };
	/** Trait by model: Bradley-Terry strengths and win rates from the consensus order. */
	byModel: TraitModels[];
};

export class Mean {
	sum = 0;
	items = 0;
	add(value: number) {
		this.sum += value;
		this.items += 1;
	}
	get value(): MeanOf {
		return { mean: this.items > 0 ? this.sum / this.items : null, items: this.items };
	}
}

export function emptyTally(): ReferenceTally {
	return { items: 0, pairs: 0, above: 0, tied: 0, below: 0, rate: null };
}

export function byKey<T>(map: Map<string, T>, key: string, create: () => T): T {
	let found = map.get(key);
	if (!found) map.set(key, (found = create()));
	return found;
}

const TAU_TOLERANCE = 1e-9;

/** GOOD × BAD response pairs of one item, by where the consensus puts them. */
export type ReferenceCount = Pick<ReferenceTally, 'pairs' | 'above' | 'tied' | 'below'>;

/** What one item brings to the batch's measures. */
export type ItemMeasure = {
	/** Kendall's W of the reviewers' rankings; null with fewer than two full rankings. */
	concordance: number | null;
	ai: AiOrder | null;
	/** Null when the item is excluded or nobody has judged it yet. */
	consensus: ConsensusEntry[] | null;
	/** The consensus position of each response (1 = best), by response id. */
	position: Map<number, number> | null;
	/** Kendall's tau-b between the AI order and the consensus. */
	tau: number | null;
	reference: ReferenceCount | null;
};

export function measureItem(item: ItemRecord): ItemMeasure {
	const consensus = consensusOf(item);
	const ai = aiOrder(item);
	const position = consensus && new Map(consensus.map((e) => [Number(e.responseId), e.position]));
	return {
		concordance: itemConcordance(item),
		ai,
		consensus,
		position,
		tau:
			position && ai
				? kendallTauB(
						ai.values,
						ai.responses.map((r) => -position.get(r.id)!)
					)
				: null,
		reference: position && referenceCount(item.responses, position)
	};
}

/** How the consensus orders the item's GOOD and BAD responses; null without both. */
export function referenceCount(
	responses: readonly ResponseRecord[],
	position: Map<number, number>
): ReferenceCount | null {
	const good = responses.filter((r) => r.referenceLabel === 'good');
	const bad = responses.filter((r) => r.referenceLabel === 'bad');
	if (good.length === 0 || bad.length === 0) return null;
	const count = { pairs: 0, above: 0, tied: 0, below: 0 };
	for (const g of good) {
		for (const b of bad) {
			const diff = position.get(b.id)! - position.get(g.id)!;
			count.pairs++;
			count[diff > 0 ? 'above' : diff === 0 ? 'tied' : 'below']++;
		}
	}
	return count;
}

/** Adds one item's GOOD × BAD pairs (sign 1) or takes them out again (sign -1). */
export function addReference(tally: ReferenceTally, count: ReferenceCount, sign: 1 | -1 = 1) {
	tally.items += sign;
	tally.pairs += sign * count.pairs;
	tally.above += sign * count.above;
	tally.tied += sign * count.tied;
	tally.below += sign * count.below;
}

export function withRate(tally: ReferenceTally): ReferenceTally {
	return { ...tally, rate: tally.pairs > 0 ? tally.above / tally.pairs : null };
}

/** The `top` items whose consensus departs most from the AI order: lowest tau, then item id. */
export class Disagreements<T> {
	private list: { itemId: number; tau: number; value: T }[] = [];
	constructor(private readonly top: number) {}

	/** Offered in any order; `value` is made only for an item that makes the list. */
	offer(itemId: number, tau: number, value: () => T): void {
		if (tau >= 1 - TAU_TOLERANCE || this.top <= 0) return;
		const last = this.list.length >= this.top ? this.list[this.list.length - 1] : null;
		if (last && (tau > last.tau || (tau === last.tau && itemId > last.itemId))) return;
		this.list.push({ itemId, tau, value: value() });
		this.list.sort((a, b) => a.tau - b.tau || a.itemId - b.itemId);
		if (this.list.length > this.top) this.list = this.list.slice(0, this.top);
	}

	get values(): T[] {
		return this.list.map((d) => d.value);
	}
}

/**
 * One pass over the batch's items, a chunk at a time; only sums, tallies and the `top` most
 * disagreeing items are kept, so memory does not grow with the batch. The consensus honours
 * adjudications: an adjudicated order replaces it, an excluded item is left out. This is the
 * full recount; the dashboard reads the same figures from its running tallies (tallies/).
 */
export async function itemMeasures(db: AppDB, batchId: number, top = 10): Promise<ItemMeasures> {
	const concordance = new Mean();
	const concordanceByTrait = new Map<string, Mean>();
	const tau = new Mean();
	const tauByTrait = new Map<string, Mean>();
	let itemsWithAi = 0;
	const disagreements = new Disagreements<AiDisagreement>(top);
	const reference = emptyTally();
	const referenceByTrait = new Map<string, ReferenceTally>();
	const modelGames = new ModelGames();

	for (const chunk of readItemChunks(db.$client, batchId, { withContent: false })) {
		for (const item of chunk) {
			const m = measureItem(item);
			if (m.concordance !== null) {
				concordance.add(m.concordance);
				byKey(concordanceByTrait, item.traitKey, () => new Mean()).add(m.concordance);
			}
			if (m.ai) itemsWithAi++;
			if (!m.position) continue;
			modelGames.addItem(item.traitKey, item.responses, m.position);
			if (m.tau !== null) {
				tau.add(m.tau);
				byKey(tauByTrait, item.traitKey, () => new Mean()).add(m.tau);
				disagreements.offer(item.id, m.tau, () => aiDisagreement(item, m));
			}
			if (m.reference) {
				addReference(reference, m.reference);
				addReference(byKey(referenceByTrait, item.traitKey, emptyTally), m.reference);
			}
		}
		await nextTurn();
	}

	return {
		concordance: { ...concordance.value, byTrait: meansByKey(concordanceByTrait) },
		humanVsAi: {
			itemsWithAi,
			overall: tau.value,
			byTrait: meansByKey(tauByTrait),
			disagreements: disagreements.values
		},
		reference: {
			...withRate(reference),
			byTrait: sortedByKey(referenceByTrait).map(([key, t]) => ({ key, ...withRate(t) }))
		},
		byModel: modelGames.summarise()
	};
}

export function sortedByKey<T>(map: Map<string, T>): [string, T][] {
	return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

export function meansByKey(map: Map<string, Mean>): (MeanOf & { key: string })[] {
	return sortedByKey(map).map(([key, m]) => ({ key, ...m.value }));
}

/** Kendall's W over the reviewers who ranked every response of the item. */
function itemConcordance(item: ItemRecord): number | null {
	const rows: number[][] = [];
	for (const review of item.reviews) {
		const row = item.responses.map((r) => review.ranks[r.id]);
		if (row.every((rank) => typeof rank === 'number')) rows.push(row);
	}
	return kendallW(rows);
}

/** The human consensus, or null when the item is excluded or nobody has judged it yet. */
export function consensusOf(item: ItemRecord): ConsensusEntry[] | null {
	const adjudication = consensusAdjudication(item);
	if (item.reviews.length === 0 && !(adjudication && 'order' in adjudication)) return null;
	return computeConsensus(consensusInput(item), adjudication);
}

export type AiOrder = { responses: ResponseRecord[]; values: number[] };

/** The AI judge's order as "higher is better" values: its ranks if given, else its scores. */
export function aiOrder(item: ItemRecord): AiOrder | null {
	const ranked = item.responses.filter((r) => r.aiRank !== null);
	if (ranked.length >= 2) return { responses: ranked, values: ranked.map((r) => -r.aiRank!) };
	const scored = item.responses.filter((r) => r.aiScore !== null);
	if (scored.length >= 2) return { responses: scored, values: scored.map((r) => r.aiScore!) };
	return null;
}

/** An item among the worst: both orders as letters, for the lead to look at. */
export function aiDisagreement(item: ItemRecord, m: ItemMeasure): AiDisagreement {
	const ai = m.ai!;
	const letter = new Map(item.responses.map((r, i) => [r.id, String.fromCharCode(65 + i)]));
	const humanOrder = orderText(
		m.consensus!.map((e) => ({ id: Number(e.responseId), value: -e.position })),
		letter
	);
	const aiText = orderText(
		ai.responses.map((r, i) => ({ id: r.id, value: ai.values[i] })),
		letter
	);
	return {
		itemId: item.id,
		externalId: item.externalId,
		traitKey: item.traitKey,
		tau: m.tau!,
		reviews: item.reviews.length,
		adjudicated: item.adjudication !== null,
		aiOrder: aiText,
		humanOrder
	};
}

/** "B › A = C": best first, ties joined. */
export function orderText(
	entries: { id: number; value: number }[],
	letter: Map<number, string>
): string {
	const sorted = [...entries].sort((a, b) => b.value - a.value || a.id - b.id);
	let text = '';
	sorted.forEach((e, i) => {
		if (i > 0) text += e.value === sorted[i - 1].value ? ' = ' : ' › ';
		text += letter.get(e.id) ?? '?';
	});
	return text;
}
