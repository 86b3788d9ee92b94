import { describe, expect, it } from 'vitest';
import { DEFAULT_CHECK_ACTIONS } from '$lib/export-options';
import type { Turn } from '../../imports';
import { ITEM_ID_CAP, pairFindings, runChecks, type CheckedPair } from './content';

const user = (content: string): Turn => ({ role: 'user', content });

let nextItem = 1;
function pair(input: Partial<CheckedPair> = {}): CheckedPair {
	const item = input.item ?? nextItem++;
	return {
		item,
		itemId: input.itemId ?? `i${item}`,
		prompt: [user('Hello?')],
		reshaped: [],
		chosen: 'A good answer.',
		rejected: 'A worse answer.',
		...input
	};
}

describe('pairFindings', () => {
	it('finds nothing in an ordinary pair', () => {
		expect(pairFindings(pair())).toEqual([]);
	});

	it('finds a prompt that ends on an assistant or tool turn, not one ending on a user turn', () => {
		const assistantLast: Turn[] = [user('Hi'), { role: 'assistant', content: 'Hello.' }];
		const toolLast: Turn[] = [user('Weather?'), { role: 'tool', content: '12 °C' }];
		expect(pairFindings(pair({ prompt: assistantLast }))).toEqual(['promptEnd']);
		expect(pairFindings(pair({ prompt: toolLast }))).toEqual(['promptEnd']);
		expect(pairFindings(pair({ prompt: [...assistantLast, user('And?')] }))).toEqual([]);
	});

	it('finds roles the format reshaped', () => {
		expect(pairFindings(pair({ reshaped: ['tool'] }))).toEqual(['roles']);
	});

	it('finds a placeholder in either answer', () => {
		expect(pairFindings(pair({ chosen: 'Dear [Your name],' }))).toEqual(['placeholder']);
		expect(pairFindings(pair({ rejected: 'TODO' }))).toEqual(['placeholder']);
	});

	it('finds an empty answer: whitespace only', () => {
		expect(pairFindings(pair({ rejected: ' \n\t ' }))).toEqual(['empty']);
		expect(pairFindings(pair({ chosen: '' }))).toEqual(['empty']);
		expect(pairFindings(pair({ chosen: '.' }))).toEqual([]);
	});

	it('finds answers identical after trimming, but not ones that differ inside', () => {
		expect(pairFindings(pair({ chosen: 'Same. ', rejected: '\nSame.' }))).toEqual(['identical']);
		expect(pairFindings(pair({ chosen: 'Same.', rejected: 'same.' }))).toEqual([]);
	});

	it('counts a pair in every check it fails', () => {
		expect(pairFindings(pair({ chosen: ' ', rejected: '' }))).toEqual(['empty', 'identical']);
	});
});

describe('runChecks', () => {
	const problems = [
		pair({ item: 101, itemId: 'p1', rejected: 'TODO' }),
		pair({ item: 101, itemId: 'p1', rejected: 'Fine.' }),
		pair({ item: 102, itemId: 'p2', rejected: '' }),
		pair({ item: 103, itemId: 'p3', chosen: 'x', rejected: 'x' }),
		pair({ item: 104, itemId: 'p4' })
	];

	it('keeps what the defaults keep and drops empty and identical pairs', () => {
		const { kept, results } = runChecks(problems, DEFAULT_CHECK_ACTIONS);
		expect(kept.map((p) => p.itemId)).toEqual(['p1', 'p1', 'p4']);
		const byKey = Object.fromEntries(results.map((r) => [r.key, r]));
		expect(byKey.placeholder).toMatchObject({
			action: 'keep',
			count: 1,
			dropped: 0,
			itemIds: { ids: ['p1'], total: 1 }
		});
		expect(byKey.empty).toMatchObject({ action: 'drop', count: 1, dropped: 1 });
		expect(byKey.identical).toMatchObject({ count: 1, dropped: 1, itemIds: { ids: ['p3'] } });
		expect(byKey.promptEnd.count).toBe(0);
	});

	it('drops what it is told to drop, and keeps everything when told to keep', () => {
		const dropAll = runChecks(problems, {
			...DEFAULT_CHECK_ACTIONS,
			placeholder: 'drop'
		});
		expect(dropAll.kept.map((p) => p.itemId)).toEqual(['p1', 'p4']);
		const keepAll = runChecks(problems, {
			...DEFAULT_CHECK_ACTIONS,
			empty: 'keep',
			identical: 'keep'
		});
		expect(keepAll.kept).toHaveLength(problems.length);
		expect(keepAll.results.every((r) => r.dropped === 0)).toBe(true);
	});

	it('counts each item once, and lists at most the cap of ids with the total', () => {
		const many = Array.from({ length: ITEM_ID_CAP + 5 }, (_, i) =>
			[1, 2].map(() => pair({ item: 1000 + i, itemId: `m${i}`, rejected: '' }))
		).flat();
		const empty = runChecks(many, DEFAULT_CHECK_ACTIONS).results.find((r) => r.key === 'empty');
		expect(empty?.count).toBe(many.length);
		expect(empty?.itemIds.total).toBe(ITEM_ID_CAP + 5);
		expect(empty?.itemIds.ids).toHaveLength(ITEM_ID_CAP);
		expect(empty?.itemIds.ids[0]).toBe('m0');
	});
});
