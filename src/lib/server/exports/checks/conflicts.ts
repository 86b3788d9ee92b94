import { createHash } from 'node:crypto';
import type { Turn } from '../../imports';
import type { ConsensusEntry } from '../../stats';

/**
 * Conflicts between traits: the same prompt reviewed under several traits, with the same
 * responses, where one trait puts A over B and another puts B over A. Only items an export
 * keeps take part (an excluded or flagged item has no order to compare); a tie on a trait
 * neither agrees nor conflicts with an order.
 */

/** Below this many compared pairs, the share of conflicts is "too few to judge". */
export const MIN_CONFLICT_PAIRS = 20;
/** At most this many conflicts are listed; all are counted. */
export const CONFLICT_LIST_CAP = 50;

export type RankedResponse = {
	/** The database id, as pairs name responses. */
	id: number;
	externalId: string | null;
	/** Its place in the item, from 0: a response without an external id is labelled by it. */
	place: number;
	/** Its text, trimmed, as the first 48 bits of its SHA-256 (see textKey). */
	textKey: number;
	/** The consensus position: 1 is best, ties share one. */
	position: number;
};

/**
 * What conflict detection keeps of an item, for as long as the export runs: small, as every
 * kept item whose prompt another trait shares is held. Numbers rather than strings where a
 * number will do (ids, text keys), and labels made only for the conflicts listed: about
 * 600 bytes an item with four responses, against 1.1 KB with every field a string.
 */
export type RankedItem = {
	item: number;
	itemId: string;
	traitKey: string;
	promptKey: string;
	responses: RankedResponse[];
};

const digest = (text: string) => createHash('sha256').update(text).digest('base64').slice(0, 22);

/** The same prompt, whichever trait it was imported under: its turns, each trimmed. */
export function promptKey(prompt: readonly Turn[]): string {
	return digest(JSON.stringify(prompt.map((t) => [t.role, t.content.trim()])));
}

/**
 * A response's text, trimmed, as a number: the first 48 bits of its SHA-256. It is only ever
 * compared with the texts of one prompt's other items, a few dozen at most: two different texts
 * there share a key by chance about once in 500 billion prompts, at 32 texts a prompt.
 */
export function textKey(content: string): number {
	return createHash('sha256').update(content.trim()).digest().readUIntBE(0, 6);
}

/** What a lead reads: the external id, or the response's place in the item. */
export const labelOf = (r: RankedResponse) => r.externalId ?? `#${r.place + 1}`;

export function rankItem(
	item: {
		id: number;
		externalId: string;
		traitKey: string;
		prompt: readonly Turn[];
		responses: { id: number; position: number; externalId: string | null; content: string }[];
	},
	consensus: readonly ConsensusEntry[]
): RankedItem {
	const position = new Map(consensus.map((entry) => [Number(entry.responseId), entry.position]));
	return {
		item: item.id,
		itemId: item.externalId,
		traitKey: item.traitKey,
		promptKey: promptKey(item.prompt),
		responses: item.responses
			.filter((r) => position.has(r.id))
			.map((r) => ({
				id: r.id,
				externalId: r.externalId,
				place: r.position,
				textKey: textKey(r.content),
				position: position.get(r.id) ?? 0
			}))
	};
}

/** One side of a conflict: the item and trait, and the pair as that item orders it. */
export type ConflictSide = { itemId: string; traitKey: string; chosen: string; rejected: string };
export type TraitConflict = {
	/** The two responses, by label, as the first side orders them. */
	responses: [string, string];
	first: ConflictSide;
	second: ConflictSide;
};

export type ConflictReport = {
	/** Response pairs ordered (not tied) on two traits: the n of the count. */
	compared: number;
	count: number;
	/** Up to CONFLICT_LIST_CAP conflicts, in item order. */
	conflicts: TraitConflict[];
	/** Pairs left out because another trait orders them the other way (agree-all-traits). */
	dropped: number;
};

/** The response of `other` that is `response`: same external id, or else the same text. */
function counterpart(response: RankedResponse, other: RankedItem): RankedResponse | undefined {
	const byId =
		response.externalId !== null
			? other.responses.find((r) => r.externalId === response.externalId)
			: undefined;
	return byId ?? other.responses.find((r) => r.textKey === response.textKey);
}

/**
 * Every conflict among the items, and the pairs (by item and response ids) that one contradicts,
 * as `item:chosen>rejected` keys, for agree-all-traits to leave out.
 */
export function findTraitConflicts(items: readonly RankedItem[]): {
	report: ConflictReport;
	contradicted: Set<string>;
} {
	const byPrompt = new Map<string, RankedItem[]>();
	for (const item of items) {
		const group = byPrompt.get(item.promptKey);
		if (group) group.push(item);
		else byPrompt.set(item.promptKey, [item]);
	}
	const report: ConflictReport = { compared: 0, count: 0, conflicts: [], dropped: 0 };
	const contradicted = new Set<string>();
	for (const group of byPrompt.values()) {
		for (let i = 0; i < group.length; i++) {
			for (let j = i + 1; j < group.length; j++) {
				if (group[i].traitKey === group[j].traitKey) continue;
				compareItems(group[i], group[j], report, contradicted);
			}
		}
	}
	return { report, contradicted };
}

export const pairKey = (item: number, chosen: string | number, rejected: string | number) =>
	`${item}:${chosen}>${rejected}`;

function compareItems(
	x: RankedItem,
	y: RankedItem,
	report: ConflictReport,
	contradicted: Set<string>
): void {
	const matched = x.responses
		.map((r) => ({ x: r, y: counterpart(r, y) }))
		.filter((m): m is { x: RankedResponse; y: RankedResponse } => m.y !== undefined);
	for (let a = 0; a < matched.length; a++) {
		for (let b = a + 1; b < matched.length; b++) {
			const [first, second] = [matched[a], matched[b]];
			const onX = Math.sign(second.x.position - first.x.position);
			const onY = Math.sign(second.y.position - first.y.position);
			if (onX === 0 || onY === 0) continue;
			report.compared += 1;
			if (onX === onY) continue;
			// Orient the conflict as x orders it: `win` over `lose` on x, the other way on y.
			const [win, lose] = onX > 0 ? [first, second] : [second, first];
			report.count += 1;
			contradicted.add(pairKey(x.item, win.x.id, lose.x.id));
			contradicted.add(pairKey(y.item, lose.y.id, win.y.id));
			if (report.conflicts.length < CONFLICT_LIST_CAP) {
				const [winX, loseX, winY, loseY] = [win.x, lose.x, win.y, lose.y].map(labelOf);
				report.conflicts.push({
					responses: [winX, loseX],
					first: { itemId: x.itemId, traitKey: x.traitKey, chosen: winX, rejected: loseX },
					second: { itemId: y.itemId, traitKey: y.traitKey, chosen: loseY, rejected: winY }
				});
			}
		}
	}
}
