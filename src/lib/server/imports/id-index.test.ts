import { describe, expect, it } from 'vitest';
import { IdIndex } from './id-index';

describe('IdIndex', () => {
	it('answers like a Map of ids to their first line, for many ids', () => {
		const index = new IdIndex();
		const map = new Map<string, number>();
		const ids = Array.from({ length: 50_000 }, (_, i) => (i % 7 === 0 ? `é-${i}-ü` : `item-${i}`));
		ids.forEach((id, line) => {
			index.set(id, line + 1);
			map.set(id, line + 1);
		});
		expect(index.size).toBe(map.size);
		for (const id of ids) expect(index.get(id)).toBe(map.get(id));
		for (const absent of ['item-50000', 'item-', '', 'ITEM-1', 'item-1 ']) {
			expect(index.get(absent)).toBeUndefined();
		}
		index.set('item-3', 99);
		expect(index.get('item-3')).toBe(99);
		expect(index.size).toBe(map.size);
	});

	it('tells apart ids whose hashes collide', () => {
		// "costarring" and "liquid" collide under 32-bit FNV-1a.
		const index = new IdIndex();
		index.set('costarring', 1);
		expect(index.get('liquid')).toBeUndefined();
		index.set('liquid', 2);
		expect([index.get('costarring'), index.get('liquid')]).toEqual([1, 2]);
	});
});
