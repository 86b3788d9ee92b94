import { describe, expect, it } from 'vitest';
import {
	CONFLICT_LIST_CAP,
	createConflictFinder,
	findTraitConflicts,
	pairKey,
	promptKey,
	rankItem,
	type RankedItem
} from './conflicts';

let nextId = 1;
/** An item whose responses are given best first as [external id or null, text, position]. */
function ranked(
	itemId: string,
	traitKey: string,
	prompt: string,
	responses: [string | null, string, number][]
): RankedItem {
	const id = nextId++;
	const rows = responses.map(([externalId, content], position) => ({
		id: id * 100 + position,
		position,
		externalId,
		content
	}));
	return rankItem(
		{
			id,
			externalId: itemId,
			traitKey,
			prompt: [{ role: 'user', content: prompt }],
			responses: rows
		},
		rows.map((r, i) => ({
			responseId: String(r.id),
			meanScore: null,
			meanRank: null,
			position: responses[i][2]
		}))
	);
}

describe('findTraitConflicts', () => {
	it('reports A over B on one trait and B over A on another, with items and traits', () => {
		const warm = ranked('w1', 'warmth', 'Hi', [
			['a', 'A', 1],
			['b', 'B', 2]
		]);
		const curious = ranked('c1', 'curiosity', 'Hi', [
			['b', 'B', 1],
			['a', 'A', 2]
		]);
		const { report, contradicted } = findTraitConflicts([warm, curious]);
		expect(report).toMatchObject({ compared: 1, count: 1, dropped: 0 });
		expect(report.conflicts).toEqual([
			{
				responses: ['a', 'b'],
				first: { itemId: 'w1', traitKey: 'warmth', chosen: 'a', rejected: 'b' },
				second: { itemId: 'c1', traitKey: 'curiosity', chosen: 'b', rejected: 'a' }
			}
		]);
		const [a, b] = warm.responses.map((r) => r.id);
		const [b2, a2] = curious.responses.map((r) => r.id);
		expect(contradicted).toEqual(
			new Set([pairKey(warm.item, a, b), pairKey(curious.item, b2, a2)])
		);
	});

	it('matches responses without external ids by their text, trimmed', () => {
		const warm = ranked('w1', 'warmth', 'Hi', [
			[null, 'Kind.', 1],
			[null, 'Curt.', 2]
		]);
		const curious = ranked('c1', 'curiosity', ' Hi ', [
			[null, 'Curt. ', 1],
			[null, 'Kind.', 2]
		]);
		const { report } = findTraitConflicts([warm, curious]);
		expect(report.count).toBe(1);
		// Labelled by their place in each item, as a lead finds them.
		expect(report.conflicts[0]).toMatchObject({
			responses: ['#1', '#2'],
			second: { chosen: '#1', rejected: '#2' }
		});
	});

	it('counts agreement as compared but not as a conflict', () => {
		const warm = ranked('w1', 'warmth', 'Hi', [
			['a', 'A', 1],
			['b', 'B', 2],
			['c', 'C', 3]
		]);
		const curious = ranked('c1', 'curiosity', 'Hi', [
			['a', 'A', 1],
			['c', 'C', 2],
			['b', 'B', 3]
		]);
		const { report } = findTraitConflicts([warm, curious]);
		expect(report).toMatchObject({ compared: 3, count: 1 });
		expect(report.conflicts[0].responses).toEqual(['b', 'c']);
	});

	it('leaves out ties, other prompts, and two items of the same trait', () => {
		const warm = ranked('w1', 'warmth', 'Hi', [
			['a', 'A', 1],
			['b', 'B', 2]
		]);
		const tied = ranked('c1', 'curiosity', 'Hi', [
			['b', 'B', 1],
			['a', 'A', 1]
		]);
		const otherPrompt = ranked('c2', 'curiosity', 'Hello', [
			['b', 'B', 1],
			['a', 'A', 2]
		]);
		const sameTrait = ranked('w2', 'warmth', 'Hi', [
			['b', 'B', 1],
			['a', 'A', 2]
		]);
		const { report } = findTraitConflicts([warm, tied, otherPrompt, sameTrait]);
		expect(report).toMatchObject({ compared: 0, count: 0 });
	});

	it('compares only the responses both items hold', () => {
		const warm = ranked('w1', 'warmth', 'Hi', [
			['a', 'A', 1],
			['b', 'B', 2]
		]);
		const curious = ranked('c1', 'curiosity', 'Hi', [
			['z', 'Z', 1],
			['a', 'A', 2]
		]);
		expect(findTraitConflicts([warm, curious]).report).toMatchObject({ compared: 0, count: 0 });
	});
});

describe('createConflictFinder', () => {
	it('lists the first conflicts in item order, whatever order the prompts come in', () => {
		// More prompts than the list holds, each with one conflict, their items made in order.
		const prompts = Array.from({ length: CONFLICT_LIST_CAP * 3 }, (_, k) => [
			ranked(`w${k}`, 'warmth', `Prompt ${k}`, [
				['a', 'A', 1],
				['b', 'B', 2]
			]),
			ranked(`c${k}`, 'curiosity', `Prompt ${k}`, [
				['a', 'A', 2],
				['b', 'B', 1]
			])
		]);
		const finder = createConflictFinder();
		// Last prompt first, and each prompt's items the other way round.
		for (const group of [...prompts].reverse()) finder.compare([...group].reverse());
		const { report, contradicted } = finder.result();
		expect(report.count).toBe(prompts.length);
		expect(contradicted.size).toBe(2 * prompts.length);
		expect(report.conflicts.map((c) => c.first.itemId)).toEqual(
			prompts.slice(0, CONFLICT_LIST_CAP).map((_, k) => `w${k}`)
		);
		// The same as finding them among all the items at once.
		expect(findTraitConflicts(prompts.flat())).toEqual({ report, contradicted });
	});
});

describe('promptKey', () => {
	it('is the same for the same turns, and differs by role', () => {
		expect(promptKey([{ role: 'user', content: 'Hi ' }])).toBe(
			promptKey([{ role: 'user', content: 'Hi' }])
		);
		expect(promptKey([{ role: 'user', content: 'Hi' }])).not.toBe(
			promptKey([{ role: 'system', content: 'Hi' }])
		);
	});
});
