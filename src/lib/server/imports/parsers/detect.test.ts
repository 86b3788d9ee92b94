import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect';

describe('detectFormat', () => {
	it('recognises each format from its first bytes', () => {
		expect(detectFormat('# Title {#id authority=root}\n')).toBe('model-spec');
		expect(detectFormat('[{"trait": "I am kind", "questions": []}]')).toBe('oct');
		expect(detectFormat('{"trait":"x","questions":[],"additional_questions":[]}\n')).toBe('oct');
		expect(detectFormat('{"prompt":"p","chosen":"a","rejected":"b"}\n')).toBe('trl');
		expect(detectFormat('{"trait":"t","prompt":"p","responses":[]}\n')).toBe('native');
		expect(
			detectFormat(
				'{"trait":"t","prompt":"p","responses":[{"content":"' + 'x'.repeat(100),
				'a.jsonl'
			)
		).toBe('native');
		expect(detectFormat('id,text\n1,hello')).toBeNull();
	});
});

describe('detectFormat on lists', () => {
	it('takes a list for OCT only when its elements are objects with a trait', () => {
		expect(detectFormat('[1,2,3]\n{"trait":"I am kind.","questions":[]}\n')).toBeNull();
		expect(detectFormat('[{"questions": ["q"], "trait": "I am kind."}]')).toBe('oct');
		expect(
			detectFormat(
				'[\n  {\n    "trait": "I am {kind}, \\"really\\".",\n    "questions": []\n  },\n'
			)
		).toBe('oct');
		expect(detectFormat('[{"name": "x"}, {"trait": "y"}]')).toBeNull();
		expect(detectFormat('[{"trait": "I am kind.", "questions": ["' + 'q'.repeat(100))).toBe('oct');
	});

	it('reads a header line of "{#" without backtracking', () => {
		expect(detectFormat('# ' + '{#a '.repeat(16_000))).toBeNull();
		expect(detectFormat('# ' + '{#a '.repeat(16_000) + '}')).toBe('model-spec');
	});
});
