import type Database from 'better-sqlite3';
import type { TraitPairing } from '$lib/export-options';
import { nextTurn, readItemChunks } from '../../item-records';
import { promptFit, responseText } from '../formats';
import { isPairFormat, type ExportOptions } from '../options';
import { statement } from '../../db/statements';
import { goldItemIds } from '../../gold';
import { selectItem, type Dropped, type Selected } from '../select';
import {
	checkResults,
	createCheckTally,
	tallyPair,
	type CheckResult,
	type CheckTally
} from './content';
import {
	createConflictFinder,
	pairKey,
	promptKey,
	rankItem,
	type ConflictReport,
	type Conflicts,
	type RankedItem
} from './conflicts';

/**
 * Screening: what stands between a selected item's pairs and the file. Pairs another trait
 * contradicts go first (agree-all-traits only), then the content checks see the pairs that are
 * left, as the format would write them, and drop what they are told to.
 */

/** What screening found and left out, for the preview and the dataset card. */
export type Screening = {
	/** Pairs the content checks looked at: the n of their counts. */
	pairsChecked: number;
	/** Pairs left out by at least one check. */
	pairsDropped: number;
	checks: CheckResult[];
	pairing: TraitPairing;
	conflicts: ConflictReport;
};

export type Screen = {
	options: ExportOptions;
	tally: CheckTally;
	conflicts: ConflictReport;
	contradicted: Set<string>;
};

/**
 * The first pass over the batches, for conflicts between traits: each item the export keeps
 * whose prompt another trait shares, with its consensus order. Raw-review formats write no
 * pairs, so they have none to compare. An item is held only until the last item of its prompt
 * has been read, when that prompt's items are compared: items read near each other (a file that
 * lists a prompt under each trait in turn) cost almost nothing, a batch with its traits in
 * blocks about 600 bytes per item of the first blocks (see RankedItem).
 */
export async function collectConflicts(
	client: Database.Database,
	options: ExportOptions
): Promise<Conflicts> {
	const finder = createConflictFinder();
	if (!isPairFormat(options.format)) return finder.result();
	// Only an item whose prompt another trait shares can conflict: most batches have none, and
	// then the batches are not read a second time.
	const { groupOf, left } = sharedPromptGroups(client, options.batchIds);
	if (groupOf.size === 0) return finder.result();
	const open = new Map<number, RankedItem[]>();
	for (const batchId of options.batchIds) {
		const gold = goldItemIds(client, batchId);
		for (const chunk of readItemChunks(client, batchId)) {
			for (const item of chunk) {
				const group = groupOf.get(item.id);
				if (group === undefined) continue;
				const selected = selectItem(item, options, gold.has(item.id));
				if (selected.kept) {
					const ranked = rankItem(item, selected.consensus);
					const items = open.get(group);
					if (items) items.push(ranked);
					else open.set(group, [ranked]);
				}
				left[group] -= 1;
				if (left[group] > 0) continue;
				const items = open.get(group);
				if (items) finder.compare(items);
				open.delete(group);
			}
			await nextTurn();
		}
	}
	// The same snapshot the groups were counted in: none is left open, but none may be missed.
	for (const items of open.values()) finder.compare(items);
	return finder.result();
}

/**
 * The items whose prompt (by promptKey) is also the prompt of an item under another trait, in
 * the given batches, each with the number of its prompt's group, and how many items each group
 * has: one light pass over the items' prompts, whatever their reviews weigh.
 */
function sharedPromptGroups(
	client: Database.Database,
	batchIds: readonly number[]
): { groupOf: Map<number, number>; left: number[] } {
	const groupOf = new Map<number, number>();
	const left: number[] = [];
	// Items of one trait share no prompt with another: no need to hold every prompt to see it.
	const traits = statement(
		client,
		`SELECT count(DISTINCT trait_id) AS n FROM items WHERE batch_id IN (SELECT value FROM json_each(?))`
	).get(JSON.stringify(batchIds)) as { n: number };
	if (traits.n < 2) return { groupOf, left };
	const prompts = statement(
		client,
		`SELECT id, trait_id AS traitId, prompt FROM items WHERE batch_id = ?`
	);
	const groups = new Map<string, { traitId: number; shared: boolean; ids: number[] }>();
	for (const batchId of batchIds) {
		for (const row of prompts.iterate(batchId) as Iterable<PromptRow>) {
			const key = promptKey(JSON.parse(row.prompt));
			const group = groups.get(key);
			if (!group) groups.set(key, { traitId: row.traitId, shared: false, ids: [row.id] });
			else {
				group.ids.push(row.id);
				group.shared ||= group.traitId !== row.traitId;
			}
		}
	}
	for (const { shared, ids } of groups.values()) {
		if (!shared) continue;
		for (const id of ids) groupOf.set(id, left.length);
		left.push(ids.length);
	}
	return { groupOf, left };
}

type PromptRow = { id: number; traitId: number; prompt: string };

export function createScreen(options: ExportOptions, conflicts: Conflicts): Screen {
	return {
		options,
		tally: createCheckTally(options.checks),
		conflicts: conflicts.report,
		contradicted: conflicts.contradicted
	};
}

/** The item with only the pairs screening lets through, or dropped when none is left. */
export function screenItem(screen: Screen, selected: Selected): Selected | Dropped {
	const { item } = selected;
	const { format, pairing } = screen.options;
	if (!isPairFormat(format) || selected.pairs.length === 0) return selected;
	let pairs = selected.pairs;
	if (pairing === 'agree-all-traits') {
		const before = pairs.length;
		pairs = pairs.filter((p) => !screen.contradicted.has(pairKey(item.id, p.chosen, p.rejected)));
		screen.conflicts.dropped += before - pairs.length;
		if (pairs.length === 0) return { kept: false, item, reason: 'conflicts' };
	}
	const fit = promptFit(format, item.prompt);
	// A prompt the format cannot write at all is left out by the format, with its own warning.
	if (!fit.written) return { ...selected, pairs };
	pairs = pairs.filter((pair) =>
		tallyPair(screen.tally, {
			item: item.id,
			itemId: item.externalId,
			prompt: item.prompt,
			reshaped: fit.reshaped,
			chosen: responseText(item, pair.chosen),
			rejected: responseText(item, pair.rejected)
		})
	);
	if (pairs.length === 0) return { kept: false, item, reason: 'contentChecks' };
	return { ...selected, pairs };
}

/** What the screen found, once every item went through it; null for raw-review formats. */
export function screeningReport(screen: Screen): Screening | null {
	if (!isPairFormat(screen.options.format)) return null;
	return {
		pairsChecked: screen.tally.pairs,
		pairsDropped: screen.tally.dropped,
		checks: checkResults(screen.tally),
		pairing: screen.options.pairing,
		conflicts: { ...screen.conflicts, conflicts: [...screen.conflicts.conflicts] }
	};
}
