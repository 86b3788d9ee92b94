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
