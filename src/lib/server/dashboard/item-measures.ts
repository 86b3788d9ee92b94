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

class Mean {
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

function emptyTally(): ReferenceTally {
	return { items: 0, pairs: 0, above: 0, tied: 0, below: 0, rate: null };
}

function byKey<T>(map: Map<string, T>, key: string, create: () => T): T {
	let found = map.get(key);
	if (!found) map.set(key, (found = create()));
	return found;
}

const TAU_TOLERANCE = 1e-9;

/**
 * One pass over the batch's items, a chunk at a time; only sums, tallies and the `top` most
 * disagreeing items are kept, so memory does not grow with the batch. The consensus honours
 * adjudications: an adjudicated order replaces it, an excluded item is left out.
 */
export async function itemMeasures(db: AppDB, batchId: number, top = 10): Promise<ItemMeasures> {
	const concordance = new Mean();
	const concordanceByTrait = new Map<string, Mean>();
	const tau = new Mean();
	const tauByTrait = new Map<string, Mean>();
	let itemsWithAi = 0;
	let disagreements: AiDisagreement[] = [];
	const reference = emptyTally();
	const referenceByTrait = new Map<string, ReferenceTally>();
	const modelGames = new ModelGames();

	for (const chunk of readItemChunks(db.$client, batchId, { withContent: false })) {
		for (const item of chunk) {
			const w = itemConcordance(item);
			if (w !== null) {
				concordance.add(w);
				byKey(concordanceByTrait, item.traitKey, () => new Mean()).add(w);
			}
			const consensus = consensusOf(item);
			const ai = aiOrder(item);
			if (ai) itemsWithAi++;
			if (!consensus) continue;
			const position = new Map(consensus.map((e) => [Number(e.responseId), e.position]));
			modelGames.addItem(item.traitKey, item.responses, position);

			if (ai) {
				const t = kendallTauB(
					ai.values,
					ai.responses.map((r) => -position.get(r.id)!)
				);
				if (t !== null) {
					tau.add(t);
					byKey(tauByTrait, item.traitKey, () => new Mean()).add(t);
					if (t < 1 - TAU_TOLERANCE) {
						disagreements.push(aiDisagreement(item, t, ai, consensus));
						disagreements.sort((a, b) => a.tau - b.tau || a.itemId - b.itemId);
						if (disagreements.length > top) disagreements = disagreements.slice(0, top);
					}
				}
			}

			const good = item.responses.filter((r) => r.referenceLabel === 'good');
			const bad = item.responses.filter((r) => r.referenceLabel === 'bad');
			if (good.length > 0 && bad.length > 0) {
				const traitTally = byKey(referenceByTrait, item.traitKey, emptyTally);
				for (const tally of [reference, traitTally]) tally.items++;
				for (const g of good) {
					for (const b of bad) {
						const diff = position.get(b.id)! - position.get(g.id)!;
						const outcome = diff > 0 ? 'above' : diff === 0 ? 'tied' : 'below';
						for (const tally of [reference, traitTally]) {
							tally.pairs++;
							tally[outcome]++;
						}
					}
				}
			}
		}
		await nextTurn();
	}

	const withRate = (t: ReferenceTally) => ({ ...t, rate: t.pairs > 0 ? t.above / t.pairs : null });
	const sorted = <T>(map: Map<string, T>) =>
		[...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
	return {
		concordance: {
			...concordance.value,
			byTrait: sorted(concordanceByTrait).map(([key, m]) => ({ key, ...m.value }))
		},
		humanVsAi: {
			itemsWithAi,
			overall: tau.value,
			byTrait: sorted(tauByTrait).map(([key, m]) => ({ key, ...m.value })),
			disagreements
		},
		reference: {
			...withRate(reference),
			byTrait: sorted(referenceByTrait).map(([key, t]) => ({ key, ...withRate(t) }))
		},
		byModel: modelGames.summarise()
	};
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
function consensusOf(item: ItemRecord): ConsensusEntry[] | null {
	const adjudication = consensusAdjudication(item);
	if (item.reviews.length === 0 && !(adjudication && 'order' in adjudication)) return null;
	return computeConsensus(consensusInput(item), adjudication);
}

type AiOrder = { responses: ResponseRecord[]; values: number[] };

/** The AI judge's order as "higher is better" values: its ranks if given, else its scores. */
function aiOrder(item: ItemRecord): AiOrder | null {
	const ranked = item.responses.filter((r) => r.aiRank !== null);
	if (ranked.length >= 2) return { responses: ranked, values: ranked.map((r) => -r.aiRank!) };
	const scored = item.responses.filter((r) => r.aiScore !== null);
	if (scored.length >= 2) return { responses: scored, values: scored.map((r) => r.aiScore!) };
	return null;
}

function aiDisagreement(
	item: ItemRecord,
	tau: number,
	ai: AiOrder,
	consensus: ConsensusEntry[]
): AiDisagreement {
	const letter = new Map(item.responses.map((r, i) => [r.id, String.fromCharCode(65 + i)]));
	const humanOrder = orderText(
		consensus.map((e) => ({ id: Number(e.responseId), value: -e.position })),
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
		tau,
		reviews: item.reviews.length,
		adjudicated: item.adjudication !== null,
		aiOrder: aiText,
		humanOrder
	};
}

/** "B › A = C": best first, ties joined. */
function orderText(entries: { id: number; value: number }[], letter: Map<number, string>): string {
	const sorted = [...entries].sort((a, b) => b.value - a.value || a.id - b.id);
	let text = '';
	sorted.forEach((e, i) => {
		if (i > 0) text += e.value === sorted[i - 1].value ? ' = ' : ' › ';
		text += letter.get(e.id) ?? '?';
	});
	return text;
}
