import { hash } from 'node:crypto';
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
 * What conflict detection keeps of an item until the last item of its prompt is read: small, as
 * a batch with its traits in blocks holds most of them at once. Numbers rather than strings where a
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

const digest = (text: string) => hash('sha256', text, 'base64').slice(0, 22);

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
	return hash('sha256', content.trim(), 'buffer').readUIntBE(0, 6);
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

/** Conflicts found and the pairs they contradict (see createConflictFinder). */
export type Conflicts = { report: ConflictReport; contradicted: Set<string> };

/**
 * Finds conflicts one prompt at a time: `compare` takes the items of one prompt (any order of
 * traits), `result` gives every conflict found, the pairs that one contradicts (by item and
 * response ids, as `item:chosen>rejected` keys, for agree-all-traits to leave out), and the
 * first CONFLICT_LIST_CAP conflicts in item order, whatever order the prompts came in.
 */
export function createConflictFinder() {
	const report: ConflictReport = { compared: 0, count: 0, conflicts: [], dropped: 0 };
	const contradicted = new Set<string>();
	// The listed conflicts with their place in item order, cut back to the cap now and then.
	let listed: { order: number[]; conflict: TraitConflict }[] = [];
	const byOrder = (x: { order: number[] }, y: { order: number[] }) => {
		const i = x.order.findIndex((v, k) => v !== y.order[k]);
		return i < 0 ? 0 : x.order[i] - y.order[i];
	};
	const keepFirst = () => (listed = listed.sort(byOrder).slice(0, CONFLICT_LIST_CAP));
	const list = (order: number[], conflict: TraitConflict) => {
		listed.push({ order, conflict });
		if (listed.length >= 2 * CONFLICT_LIST_CAP) keepFirst();
	};
	return {
		compare(group: readonly RankedItem[]): void {
			const items = [...group].sort((x, y) => x.item - y.item);
			for (let i = 0; i < items.length; i++) {
				for (let j = i + 1; j < items.length; j++) {
					if (items[i].traitKey === items[j].traitKey) continue;
					compareItems(items[i], items[j], report, contradicted, list);
				}
			}
		},
		result(): Conflicts {
			keepFirst();
			return { report: { ...report, conflicts: listed.map((l) => l.conflict) }, contradicted };
		}
	};
}

/** Every conflict among the items, whatever their prompts (see createConflictFinder). */
export function findTraitConflicts(items: readonly RankedItem[]): Conflicts {
	const byPrompt = new Map<string, RankedItem[]>();
	for (const item of items) {
		const group = byPrompt.get(item.promptKey);
		if (group) group.push(item);
		else byPrompt.set(item.promptKey, [item]);
	}
	const finder = createConflictFinder();
	for (const group of byPrompt.values()) finder.compare(group);
	return finder.result();
}

export const pairKey = (item: number, chosen: string | number, rejected: string | number) =>
	`${item}:${chosen}>${rejected}`;

function compareItems(
	x: RankedItem,
	y: RankedItem,
	report: ConflictReport,
	contradicted: Set<string>,
	list: (order: number[], conflict: TraitConflict) => void
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
			const [winX, loseX, winY, loseY] = [win.x, lose.x, win.y, lose.y].map(labelOf);
			list([x.item, y.item, a, b], {
				responses: [winX, loseX],
				first: { itemId: x.itemId, traitKey: x.traitKey, chosen: winX, rejected: loseX },
				second: { itemId: y.itemId, traitKey: y.traitKey, chosen: loseY, rejected: winY }
			});
		}
	}
}
