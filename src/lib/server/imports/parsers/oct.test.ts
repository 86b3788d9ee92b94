import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../../demo';
import { keyFromStatement, parseOct } from './oct';

describe('parseOct', () => {
	it('derives short unique keys from first-person statements', () => {
		expect(keyFromStatement('I strive to approach conversations with creativity and wit.')).toBe(
			'approach-conversations-creativity-wit'
		);
		const { traits } = parseOct(
			JSON.stringify([
				{ trait: 'I am kind to people.', questions: ['a'] },
				{ trait: 'I am kind to people!', questions: ['b', 'b'] }
			])
		);
		expect(traits.map((t) => t.key)).toEqual(['kind-people', 'kind-people-2']);
		expect(traits[1].questions).toEqual(['b']);
	});

	it('merges questions and additional questions of few-shot lines', () => {
		const text = readFileSync(
			join(SAMPLES_DIR, 'open-character-training/few-shot/humor.jsonl'),
			'utf8'
		);
		const { traits, issues } = parseOct(text);
		expect(issues).toEqual([]);
		expect(traits).toHaveLength(10);
		expect(traits[0].questions.length).toBeGreaterThan(20);
	});
});

describe('parseOct few-shot JSONL', () => {
	it('numbers lines as an editor does, leading blank lines and BOM included', () => {
		const text = '\ufeff\n{"trait":"I am kind.","questions":["q"]}\r\n\nnot json\n';
		const { traits, issues } = parseOct(text);
		expect(traits.map((t) => t.key)).toEqual(['kind']);
		expect(issues).toEqual([
			{ line: 4, path: '', message: expect.stringContaining('not valid JSON') }
		]);
	});
});
