import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssue } from './issues';
import { readLines } from './lines';
import { parseOctArray, parseOctJsonl, parseOctText, slugKey, titleFrom } from './oct';
import { DEFAULT_LIMITS } from './types';

const OCT = new URL('../../../../../shared/data/open-character-training/', import.meta.url);
const handWritten = new URL('hand-written/', OCT);
const fewShot = new URL('few-shot/', OCT);

function filesIn(folder: URL, extension: string): string[] {
	return readdirSync(folder)
		.filter((name) => name.endsWith(extension))
		.sort();
}

function readJson(url: URL): unknown {
	return JSON.parse(readFileSync(url, 'utf8'));
}

describe('shipped Open Character Training constitutions', () => {
	it('are where the tests expect them', () => {
		expect(fileURLToPath(OCT)).toBe('/work/shared/data/open-character-training/');
		expect(filesIn(handWritten, '.txt')).toContain('template.txt');
		expect(filesIn(fewShot, '.jsonl').length).toBeGreaterThan(0);
	});

	it.each(filesIn(handWritten, '.txt').filter((name) => name !== 'template.txt'))(
		'hand-written/%s parses with every trait and question',
		(name) => {
			const url = new URL(name, handWritten);
			const raw = readJson(url) as { trait: string; questions: string[] }[];
			const result = parseOctArray(readFileSync(url, 'utf8'));
			expect(result.issues).toEqual([]);
			expect(result.traits).toHaveLength(raw.length);
			expect(result.traits.map((trait) => trait.description)).toEqual(
				raw.map((entry) => entry.trait)
			);
			result.traits.forEach((trait, index) => {
				expect(trait.questions).toEqual([...new Set(raw[index].questions)]);
				expect(trait.title.length).toBeGreaterThan(0);
			});
			expect(new Set(result.traits.map((trait) => trait.key)).size).toBe(raw.length);
		}
	);

	it('hand-written/template.txt gives zero traits and says why', () => {
		const result = parseOctArray(readFileSync(new URL('template.txt', handWritten), 'utf8'));
		expect(result.traits).toEqual([]);
		expect(result.issues.map(formatIssue)).toEqual([
			'the file contains no traits: every "trait" and question is empty (this looks like the blank template)'
		]);
	});

	it.each(filesIn(fewShot, '.jsonl'))('few-shot/%s parses from a stream', async (name) => {
		const url = new URL(name, fewShot);
		const raw = readFileSync(url, 'utf8')
			.split('\n')
			.filter((line) => line.trim() !== '')
			.map((line) => JSON.parse(line) as Record<string, string[]> & { trait: string });
		const result = await parseOctJsonl(readLines(createReadStream(url), DEFAULT_LIMITS));
		expect(result.issues).toEqual([]);
		expect(result.traits).toHaveLength(raw.length);
		result.traits.forEach((trait, index) => {
			const { trait: statement, questions, additional_questions: more } = raw[index];
			expect(trait.description).toBe(statement);
			expect(trait.questions).toEqual([...new Set([...questions, ...more])]);
		});
		expect(new Set(result.traits.map((trait) => trait.key)).size).toBe(raw.length);
	});

	it('derives the same keys every time', () => {
		const text = readFileSync(new URL('humor.txt', handWritten), 'utf8');
		expect(parseOctArray(text).traits.map((trait) => trait.key)).toEqual(
			parseOctArray(text).traits.map((trait) => trait.key)
		);
		expect(parseOctArray(text).traits[0].key).toBe('approach-conversations-creativity-wit');
	});
});

describe('keys and titles', () => {
	it('builds a key from the first significant words', () => {
		expect(slugKey('I strive to approach conversations with creativity and wit.')).toBe(
			'approach-conversations-creativity-wit'
		);
		expect(slugKey("I'm not afraid to be direct")).toBe('not-afraid-direct');
		expect(slugKey('Ça va, über naïve!')).toBe('ca-va-uber-naive');
		expect(slugKey('I am')).toBe('i-am');
		expect(slugKey('!!!')).toBe('trait');
	});

	it('makes keys unique within a file', () => {
		const text = JSON.stringify([
			{ trait: 'I love my cats and dogs dearly.', questions: ['q1'] },
			{ trait: 'I love cats, dogs, dearly and always.', questions: ['q2'] },
			{ trait: 'I love cats and dogs dearly!', questions: ['q3'] }
		]);
		expect(parseOctArray(text).traits.map((trait) => trait.key)).toEqual([
			'love-cats-dogs-dearly',
			'love-cats-dogs-dearly-2',
			'love-cats-dogs-dearly-3'
		]);
	});

	it('titles a trait with its first sentence, shortened at a word', () => {
		expect(titleFrom('I avoid causing any harm to humanity.')).toBe(
			'I avoid causing any harm to humanity'
		);
		expect(
			titleFrom(
				'I strive to approach conversations with creativity and wit, always looking for an opportunity.'
			)
		).toBe('I strive to approach conversations with creativity and wit…');
	});
});

describe('bad constitutions', () => {
	it('reports invalid JSON with its line', () => {
		const result = parseOctArray('[\n  {"trait": "I am kind",\n  "questions" 1}\n]');
		expect(result.traits).toEqual([]);
		expect(result.issues).toHaveLength(1);
		expect(result.issues[0].line).toBe(3);
		expect(result.issues[0].message).toMatch(/^is not valid JSON/);
		// Some errors name no position; then the issue is about the whole file.
		const unplaced = parseOctArray('[\n  {"trait": }\n]').issues;
		expect(unplaced.map((issue) => issue.line)).toEqual([0]);
	});

	it('reports a file that is not a list', () => {
		expect(parseOctArray('{"trait": "x"}').issues.map(formatIssue)).toEqual([
			'line 1: must be a JSON list ([...]) of {"trait", "questions"}'
		]);
	});

	it('names the line and path of a bad entry', () => {
		const text = [
			'[',
			'  {"trait": "I am kind.", "questions": ["Hi"]},',
			'  {"trait": "I am [brave].", "questions": "Hi"},',
			'  "text",',
			'  {"questions": ["Hi"]}',
			']'
		].join('\n');
		const result = parseOctArray(text);
		expect(result.traits.map((trait) => trait.key)).toEqual(['kind']);
		expect(result.issues.map(formatIssue)).toEqual([
			'line 3, [1].questions: must be a list',
			'line 4, [2]: must be an object ({...}) with "trait" and "questions"',
			'line 5, [3].trait: is missing'
		]);
	});

	it('reports an empty statement with questions, and a repeated statement', async () => {
		const text = [
			'{"trait": "I am kind.", "questions": ["Hi"], "additional_questions": ["Hi", "", "Yo"]}',
			'{"trait": " ", "questions": ["Hi"]}',
			'{"trait": "I am kind.", "questions": []}'
		].join('\n');
		const result = await parseOctText(text);
		expect(result.traits[0].questions).toEqual(['Hi', 'Yo']);
		expect(result.issues.map(formatIssue)).toEqual([
			'line 2, trait: must not be empty when the entry has questions',
			'line 3, trait: repeats the trait statement given on line 1'
		]);
	});

	it('reports JSONL lines that are not JSON or miss fields', async () => {
		const result = await parseOctText('not json\n{"trait": "I am kind."}\n');
		expect(result.issues.map(formatIssue)).toEqual([
			expect.stringMatching(/^line 1: is not valid JSON/),
			'line 2, questions: is missing'
		]);
	});

	it('reports an empty file', async () => {
		expect((await parseOctText('')).issues.map(formatIssue)).toEqual([
			'the file contains no traits'
		]);
		expect(parseOctArray('[]').issues.map(formatIssue)).toEqual(['the file contains no traits']);
	});
});
