import { describe, expect, it } from 'vitest';
import { formatIssue } from './issues';
import { readLines } from './lines';
import { parseNative, parseNativeLine, type NativeResult } from './native';
import { DEFAULT_LIMITS, type ImportIssue } from './types';

const two = [{ content: 'A' }, { content: 'B' }];

function line(value: Record<string, unknown>): string {
	return JSON.stringify(value);
}

function issuesOf(value: Record<string, unknown> | string, limits = DEFAULT_LIMITS): string[] {
	const text = typeof value === 'string' ? value : line(value);
	return parseNativeLine(text, 7, limits).issues.map(formatIssue);
}

async function parseFile(text: string, limits = DEFAULT_LIMITS): Promise<NativeResult[]> {
	const results: NativeResult[] = [];
	for await (const result of parseNative(readLines([text], limits), limits)) results.push(result);
	return results;
}

function allIssues(results: NativeResult[]): ImportIssue[] {
	return results.flatMap((result) => result.issues);
}

describe('parseNativeLine', () => {
	it('turns a string prompt into one user turn', () => {
		const result = parseNativeLine(
			line({ trait: 'warm', prompt: 'Hi', responses: two }),
			3,
			DEFAULT_LIMITS
		);
		expect(result).toEqual({
			item: {
				line: 3,
				traitKey: 'warm',
				prompt: [{ role: 'user', content: 'Hi' }],
				responses: [{ content: 'A' }, { content: 'B' }]
			},
			issues: []
		});
	});

	it('maps every field and keeps content exactly as given', () => {
		const value = {
			id: 'item-1',
			trait: 'warm',
			prompt: [
				{ role: 'system', content: 'Be kind.' },
				{ role: 'user', content: '  <b>hello</b>\n' }
			],
			responses: [
				{
					id: 'r1',
					model: 'ckpt-100',
					content: '  <script>alert(1)</script> &amp;\n',
					ai_score: 6.5,
					ai_rank: 1,
					reference: { label: 'good', reason: 'kind' },
					metadata: { temperature: 0.7 }
				},
				{ id: 2, content: 'B', ai_score: -1, reference: { label: 'ok' } }
			],
			metadata: { source: 'test' }
		};
		expect(parseNativeLine(line(value), 1, DEFAULT_LIMITS).item).toEqual({
			line: 1,
			externalId: 'item-1',
			traitKey: 'warm',
			prompt: value.prompt,
			responses: [
				{
					externalId: 'r1',
					model: 'ckpt-100',
					content: '  <script>alert(1)</script> &amp;\n',
					aiScore: 6.5,
					aiRank: 1,
					reference: { label: 'good', reason: 'kind' },
					metadata: { temperature: 0.7 }
				},
				{ externalId: '2', content: 'B', aiScore: -1, reference: { label: 'ok' } }
			],
			metadata: { source: 'test' }
		});
	});

	it('reports invalid JSON', () => {
		const [message] = issuesOf('{"trait": "warm", ');
		expect(message).toMatch(/^line 7: is not valid JSON \(/);
	});

	it('reports a line that is not an object', () => {
		expect(issuesOf('[1, 2]')).toEqual(['line 7: must be a JSON object ({...}), one per line']);
		expect(issuesOf('"text"')).toEqual(['line 7: must be a JSON object ({...}), one per line']);
	});

	it('reports missing fields by name', () => {
		expect(issuesOf({})).toEqual([
			'line 7, trait: is missing',
			'line 7, prompt: is missing',
			'line 7, responses: is missing'
		]);
		expect(issuesOf({ trait: 'warm', prompt: 'Hi', responses: [{ content: 'A' }, {}] })).toEqual([
			'line 7, responses[1].content: is missing'
		]);
	});

	it('reports wrong types with the path of the field', () => {
		expect(
			issuesOf({ trait: 'warm', prompt: 'Hi', responses: [{ content: 'A' }, { content: 5 }] })
		).toEqual(['line 7, responses[1].content: must be text (a string)']);
		expect(issuesOf({ trait: 3, prompt: 'Hi', responses: two })).toEqual([
			'line 7, trait: must be text (a string)'
		]);
		expect(issuesOf({ trait: 'warm', prompt: 'Hi', responses: 'A, B' })).toEqual([
			'line 7, responses: must be a list'
		]);
		expect(
			issuesOf({
				trait: 'warm',
				prompt: 'Hi',
				responses: [
					{ content: 'A', ai_score: 'high', ai_rank: 0 },
					{ content: 'B', ai_rank: 1.5 }
				]
			})
		).toEqual([
			'line 7, responses[0].ai_score: must be a number',
			'line 7, responses[0].ai_rank: must be 1 or more',
			'line 7, responses[1].ai_rank: must be a whole number'
		]);
	});

	it('explains a bad prompt', () => {
		expect(issuesOf({ trait: 'warm', prompt: 5, responses: two })).toEqual([
			'line 7, prompt: must be text or a list of {"role", "content"} turns'
		]);
		expect(
			issuesOf({ trait: 'warm', prompt: [{ role: 'human', content: 'Hi' }], responses: two })
		).toEqual([
			'line 7, prompt[0].role: must be one of "system", "developer", "user", "assistant"'
		]);
		expect(issuesOf({ trait: 'warm', prompt: '', responses: two })).toEqual([
			'line 7, prompt: must not be empty'
		]);
		expect(issuesOf({ trait: 'warm', prompt: [], responses: two })).toEqual([
			'line 7, prompt: must not be an empty list'
		]);
	});

	it('reports a bad reference label', () => {
		expect(
			issuesOf({
				trait: 'warm',
				prompt: 'Hi',
				responses: [{ content: 'A', reference: { label: 'great' } }, { content: 'B' }]
			})
		).toEqual(['line 7, responses[0].reference.label: must be one of "good", "bad", "ok"']);
	});

	it('reports unknown fields, which are usually typos', () => {
		expect(
			issuesOf({
				trait: 'warm',
				prompt: 'Hi',
				responses: [{ content: 'A', score: 3 }, { content: 'B' }]
			})
		).toEqual(['line 7, responses[0].score: is not a known field here; check its spelling']);
	});

	it('reports empty trait and empty content', () => {
		expect(
			issuesOf({ trait: '  ', prompt: 'Hi', responses: [{ content: '' }, { content: 'B' }] })
		).toEqual([
			'line 7, trait: must not be empty',
			'line 7, responses[0].content: must not be empty'
		]);
	});

	it('rejects too few responses, naming the limit', () => {
		expect(issuesOf({ trait: 'warm', prompt: 'Hi', responses: [{ content: 'A' }] })).toEqual([
			'line 7, responses: has only 1 response; an item needs at least 2'
		]);
		expect(issuesOf({ trait: 'warm', prompt: 'Hi', responses: [] })).toEqual([
			'line 7, responses: has no responses; an item needs at least 2'
		]);
	});

	it('never accepts an item without responses, whatever the minimum', () => {
		const limits = { ...DEFAULT_LIMITS, minResponses: 0 };
		expect(issuesOf({ trait: 'warm', prompt: 'Hi', responses: [] }, limits)).toEqual([
			'line 7, responses: has no responses; an item needs at least 1'
		]);
	});

	it('rejects too many responses, naming the limit', () => {
		const responses = Array.from({ length: 17 }, (_, index) => ({ content: `R${index}` }));
		expect(issuesOf({ trait: 'warm', prompt: 'Hi', responses })).toEqual([
			'line 7, responses: has 17 responses; an item may have at most 16'
		]);
	});

	it('rejects a response longer than the limit, naming the limit', () => {
		const long = 'x'.repeat(100_001);
		expect(
			issuesOf({ trait: 'warm', prompt: 'Hi', responses: [{ content: 'A' }, { content: long }] })
		).toEqual([
			'line 7, responses[1].content: is 100,001 characters long; a response may have at most 100,000'
		]);
	});

	it('counts characters, not UTF-16 units', () => {
		const limits = { ...DEFAULT_LIMITS, maxResponseChars: 3 };
		const emoji = {
			trait: 'warm',
			prompt: 'Hi',
			responses: [{ content: '😀😀😀' }, { content: 'B' }]
		};
		expect(issuesOf(emoji, limits)).toEqual([]);
		const four = {
			trait: 'warm',
			prompt: 'Hi',
			responses: [{ content: '😀😀😀😀' }, { content: 'B' }]
		};
		expect(issuesOf(four, limits)).toEqual([
			'line 7, responses[0].content: is 4 characters long; a response may have at most 3'
		]);
	});

	it('rejects repeated response ids within an item', () => {
		expect(
			issuesOf({
				trait: 'warm',
				prompt: 'Hi',
				responses: [
					{ id: 'a', content: 'A' },
					{ id: 'a', content: 'B' }
				]
			})
		).toEqual([
			'line 7, responses[1].id: "a" is also the id of responses[0]; response ids must be unique within an item'
		]);
	});
});

describe('parseNative', () => {
	it('parses a file line by line', async () => {
		const text = [
			line({ id: 'a', trait: 'warm', prompt: 'Hi', responses: two }),
			'',
			line({ id: 'b', trait: 'warm', prompt: 'Bye', responses: two })
		].join('\n');
		const results = await parseFile(text);
		expect(results.map((result) => [result.line, result.item?.externalId])).toEqual([
			[1, 'a'],
			[3, 'b']
		]);
		expect(allIssues(results)).toEqual([]);
	});

	it('reports a repeated id with both line numbers', async () => {
		const text = [
			line({ id: 'a', trait: 'warm', prompt: 'Hi', responses: two }),
			line({ id: 'b', trait: 'warm', prompt: 'Hi', responses: two }),
			line({ id: 'a', trait: 'warm', prompt: 'Hi', responses: two })
		].join('\n');
		const results = await parseFile(text);
		expect(allIssues(results).map(formatIssue)).toEqual([
			'line 3, id: "a" is used on both line 1 and line 3; ids must be unique within a file'
		]);
		expect(results[2].item).toBeUndefined();
	});

	it('reports an empty file', async () => {
		expect(allIssues(await parseFile('')).map(formatIssue)).toEqual([
			'the file is empty: it contains no items'
		]);
		expect(allIssues(await parseFile('\n \n'))).toHaveLength(1);
	});

	it('passes on line errors from the reader', async () => {
		const limits = { ...DEFAULT_LIMITS, maxLineBytes: 200 };
		const text = [
			line({ trait: 'warm', prompt: 'x'.repeat(300), responses: two }),
			line({ trait: 'warm', prompt: 'Hi', responses: two })
		].join('\n');
		const results = await parseFile(text, limits);
		expect(allIssues(results).map(formatIssue)).toEqual([
			'line 1: is longer than the limit of 200 bytes'
		]);
		expect(results[1].item?.line).toBe(2);
	});

	it('reports every bad line, not just the first', async () => {
		const text = [
			'not json',
			line({ trait: 'warm' }),
			line({ trait: 'warm', prompt: 'Hi', responses: two })
		].join('\n');
		const issues = allIssues(await parseFile(text));
		expect(issues.map((issue) => issue.line)).toEqual([1, 2, 2]);
	});
});
