import { describe, expect, it } from 'vitest';
import { summarizeTrait } from './trait-summary';

describe('summarizeTrait', () => {
	it('takes the first sentence of the first paragraph', () => {
		expect(
			summarizeTrait('The assistant may act (e.g., call tools). It should be careful.\n\nMore.')
		).toEqual({ summary: 'The assistant may act (e.g., call tools).', hasMore: true });
	});

	it('joins the lines of the paragraph', () => {
		expect(summarizeTrait('Be warm\nand kind[^a]. Always.').summary).toBe('Be warm and kind[^a].');
	});

	it('keeps a one-sentence description whole, with nothing more to show', () => {
		expect(summarizeTrait('  I am curious about people.  ')).toEqual({
			summary: 'I am curious about people.',
			hasMore: false
		});
		expect(summarizeTrait('')).toEqual({ summary: '', hasMore: false });
	});

	it('drops a leading heading or list marker and cuts a very long sentence at a word', () => {
		expect(summarizeTrait('## Overview\n\nText.').summary).toBe('Overview');
		const long = summarizeTrait(`${'word '.repeat(80)}end.`);
		expect(long.summary.length).toBeLessThanOrEqual(241);
		expect(long.summary.endsWith('word…')).toBe(true);
		expect(long.hasMore).toBe(true);
	});
});
