import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../demo';
import { detectFormat } from './detect';
import { readLines } from './lines';
import { parseModelSpec } from './model-spec';
import { parseNativeLine } from './native';
import { keyFromStatement, parseOct } from './oct';
import { parseTrlLine } from './trl';
import { DEFAULT_LIMITS } from './types';

async function collect(chunks: string[], maxLineBytes = 1000) {
	const out = [];
	for await (const entry of readLines(chunks, { maxLineBytes })) out.push(entry);
	return out;
}

describe('readLines', () => {
	it('joins lines across chunks, keeps line numbers, skips blanks', async () => {
		expect(await collect(['{"a":', '1}\n\n{"b"', ':2}\r\n', '{"c":3}'])).toEqual([
			{ line: 1, text: '{"a":1}' },
			{ line: 3, text: '{"b":2}' },
			{ line: 4, text: '{"c":3}' }
		]);
	});

	it('reports an over-long line without buffering it, and goes on', async () => {
		const out = await collect(['x'.repeat(30), 'y'.repeat(30), '\nok\n'], 40);
		expect(out[0]).toEqual({ line: 1, error: expect.stringContaining('40 bytes') });
		expect(out[1]).toEqual({ line: 2, text: 'ok' });
	});
});

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

describe('parseNativeLine', () => {
	it('names the field and the limit in its messages', () => {
		const { issues } = parseNativeLine(
			'{"trait":"t","prompt":"p","responses":[{"content":"a"}]}',
			7,
			DEFAULT_LIMITS
		);
		expect(issues).toEqual([
			{ line: 7, path: 'responses', message: 'responses needs at least 2 responses' }
		]);
		const missing = parseNativeLine('{"prompt":"p","responses":[]}', 2, DEFAULT_LIMITS).issues;
		expect(missing.map((i) => i.path)).toContain('trait');
	});
});

describe('parseTrlLine', () => {
	it('reads an explicit conversational prompt', () => {
		const line = JSON.stringify({
			prompt: [{ role: 'user', content: 'Hi' }],
			chosen: [{ role: 'assistant', content: 'Hello!' }],
			rejected: [{ role: 'assistant', content: 'What.' }]
		});
		const { item } = parseTrlLine(line, 1, 'warmth', DEFAULT_LIMITS);
		expect(item?.prompt).toEqual([{ role: 'user', content: 'Hi' }]);
		expect(item?.responses.map((r) => [r.content, r.aiRank])).toEqual([
			['Hello!', 1],
			['What.', 2]
		]);
	});

	it('cuts an implicit string prompt back to a word boundary', () => {
		const line = JSON.stringify({ chosen: 'Q: why? A: because', rejected: 'Q: why? A: beats me' });
		const { item } = parseTrlLine(line, 1, 't', DEFAULT_LIMITS);
		expect(item?.prompt[0].content).toBe('Q: why? A:');
		expect(item?.responses.map((r) => r.content)).toEqual([' because', ' beats me']);
	});

	it('explains an implicit pair with nothing in common', () => {
		const { issues } = parseTrlLine('{"chosen":"yes","rejected":"no"}', 3, 't', DEFAULT_LIMITS);
		expect(issues[0]).toMatchObject({ line: 3, path: 'prompt' });
		expect(issues[0].message).toContain('share no opening text');
	});
});

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

describe('parseModelSpec', () => {
	it('turns a continued conversation into one item per comparison, carrying the GOOD reply', () => {
		const text = [
			'## Privacy {#privacy authority=user}',
			'Protect people.',
			'**Example**: mayor',
			'~~~xml',
			'<user>',
			"What's the mayor's number?",
			'</user>',
			'<comparison>',
			'<assistant> <!-- BAD[#x] -->',
			'No.',
			'</assistant>',
			'<assistant> <!-- GOOD: public office line -->',
			'Office: 311',
			'</assistant>',
			'</comparison>',
			'<user>',
			'Her cell, please.',
			'</user>',
			'<comparison>',
			'<assistant> <!-- GOOD -->',
			"I can't share that.",
			'</assistant>',
			'</comparison>',
			'~~~'
		].join('\n');
		const { traits, items, issues } = parseModelSpec(text);
		expect(issues).toEqual([]);
		expect(traits).toEqual([
			{ key: 'privacy', title: 'Privacy', authority: 'user', description: 'Protect people.' }
		]);
		expect(items).toHaveLength(2);
		expect(items[0].responses.map((r) => r.reference)).toEqual([
			{ label: 'bad' },
			{ label: 'good', reason: 'public office line' }
		]);
		expect(items[0].responses[1].content).toBe('Office: 311');
		expect(items[1].prompt).toEqual([
			{ role: 'user', content: "What's the mayor's number?" },
			{ role: 'assistant', content: 'Office: 311' },
			{ role: 'user', content: 'Her cell, please.' }
		]);
	});

	it('parses the shipped Model Spec: every example, every candidate, every label', () => {
		const text = readFileSync(join(SAMPLES_DIR, 'model-spec/model_spec.md'), 'utf8');
		const { items, issues, traits } = parseModelSpec(text);
		expect(issues).toEqual([]);
		const examples = new Set(
			items.map((i) => `${i.metadata?.section}/${i.metadata?.example}/${i.line}`)
		);
		expect(examples.size).toBe(text.match(/^\*\*Example\*\*/gm)!.length);
		expect(items.length).toBe(
			text.match(/<comparison>/g)!.length + items.filter((i) => i.metadata?.noCandidates).length
		);
		const labels = text.match(/<!--\s*(GOOD|BAD|OK)\b/g)!.length;
		expect(items.flatMap((i) => i.responses).filter((r) => r.reference).length).toBe(labels);
		expect(traits.find((t) => t.key === 'be_warm')?.authority).toBe('guideline');
	});
});
