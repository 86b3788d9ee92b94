import { describe, expect, it } from 'vitest';
import { labelWidthFor, rowsHeight, wrapLabel } from './wrap-label';

describe('wrapLabel', () => {
	it('leaves a label that fits alone', () => {
		expect(wrapLabel('avoid_errors', 16)).toBe('avoid_errors');
	});

	it('breaks a trait key after its underscores, keeping every character', () => {
		const lines = wrapLabel('follow_all_applicable_instructions', 16);
		expect(lines).toEqual(['follow_all_', 'applicable_', 'instructions']);
		expect((lines as string[]).join('')).toBe('follow_all_applicable_instructions');
	});

	it('breaks at spaces and splits a word longer than a line', () => {
		expect(wrapLabel('Reviewer 12 of many', 12)).toEqual(['Reviewer 12', 'of many']);
		expect(wrapLabel('abcdefghijklmnop', 6)).toEqual(['abcdef', 'ghijkl', 'mnop']);
	});
});

describe('labelWidthFor', () => {
	it('wraps on a phone and not on a laptop', () => {
		expect(labelWidthFor(300)).toBe(18);
		expect(labelWidthFor(1100)).toBeGreaterThan(37);
	});
});

describe('rowsHeight', () => {
	it('gives a row of 34 px per label, more to a label of three lines', () => {
		expect(rowsHeight(['be_clear', 'ask_clarifying_questions'], 18)).toBe(68);
		expect(rowsHeight(['avoid_targeted_political_manipulation'], 18)).toBe(49);
		expect(rowsHeight(['avoid_targeted_political_manipulation'], Infinity)).toBe(34);
	});
});
