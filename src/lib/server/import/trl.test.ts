import { describe, expect, it } from 'vitest';
import { formatIssue } from './issues';
import { readLines } from './lines';
import type { NativeResult } from './native';
import { parseTrl, parseTrlLine } from './trl';
import { DEFAULT_LIMITS } from './types';

function parse(value: Record<string, unknown>, limits = DEFAULT_LIMITS) {
	return parseTrlLine(JSON.stringify(value), 4, 'honest', limits);
}

function issuesOf(value: Record<string, unknown>, limits = DEFAULT_LIMITS): string[] {
	return parse(value, limits).issues.map(formatIssue);
}

const user = (content: string) => ({ role: 'user', content });
const assistant = (content: string) => ({ role: 'assistant', content });

describe('parseTrlLine: explicit prompt', () => {
	it('reads the standard form', () => {
		expect(parse({ prompt: 'The sky is', chosen: ' blue.', rejected: ' green.' })).toEqual({
			item: {
				line: 4,
				traitKey: 'honest',
				prompt: [{ role: 'user', content: 'The sky is' }],
				responses: [
					{ content: ' blue.', aiRank: 1 },
					{ content: ' green.', aiRank: 2 }
				]
			},
			issues: []
		});
	});

	it('reads the conversational form', () => {
		const prompt = [{ role: 'system', content: 'Be brief.' }, user('What color is the sky?')];
		const result = parse({ prompt, chosen: [assistant('Blue.')], rejected: [assistant('Green.')] });
		expect(result.item?.prompt).toEqual(prompt);
		expect(result.item?.responses.map((response) => response.content)).toEqual(['Blue.', 'Green.']);
	});

	it('requires each conversational side to be one assistant message', () => {
		expect(
			issuesOf({
				prompt: [user('Hi')],
				chosen: [assistant('Hello'), user('and?')],
				rejected: [user('Go away')]
			})
		).toEqual([
			'line 4, chosen: must be exactly one assistant message, but has 2 messages (assistant, user)',
			'line 4, rejected: must be exactly one assistant message, but has 1 message (user)'
		]);
	});
});

describe('parseTrlLine: implicit prompt', () => {
	it('takes the shared leading messages as the prompt', () => {
		const result = parse({
			chosen: [user('Hi'), assistant('Hello!'), user('Sky?'), assistant('Blue.')],
			rejected: [user('Hi'), assistant('Hello!'), user('Sky?'), assistant('Green.')]
		});
		expect(result.item?.prompt).toEqual([user('Hi'), assistant('Hello!'), user('Sky?')]);
		expect(result.item?.responses).toEqual([
			{ content: 'Blue.', aiRank: 1 },
			{ content: 'Green.', aiRank: 2 }
		]);
	});

	it('requires exactly one assistant message after the shared ones', () => {
		expect(
			issuesOf({
				chosen: [user('Hi'), assistant('Hello'), user('More?')],
				rejected: [user('Hi'), assistant('Bye')]
			})
		).toEqual([
			'line 4, chosen: must end, after the 1 message it shares with the other side, with exactly one assistant message, but has 2 messages (assistant, user)'
		]);
	});

	it('reports sides that share no first message', () => {
		expect(
			issuesOf({ chosen: [user('A'), assistant('B')], rejected: [user('C'), assistant('D')] })
		).toEqual([
			'line 4, chosen: shares no first message with "rejected", so the prompt cannot be found; add a "prompt" field'
		]);
	});

	it('splits plain strings at the last whitespace of their common start', () => {
		const result = parse({ chosen: 'The sky is blue.', rejected: 'The sky is bright green.' });
		expect(result.item?.prompt).toEqual([{ role: 'user', content: 'The sky is ' }]);
		expect(result.item?.responses.map((response) => response.content)).toEqual([
			'blue.',
			'bright green.'
		]);
	});

	it('splits Anthropic HH strings just after the last "Assistant:"', () => {
		const prompt = '\n\nHuman: Is the sky blue?\n\nAssistant:';
		const result = parse({
			chosen: `${prompt} Yes, it is.`,
			rejected: `${prompt} Yes, always green.`
		});
		expect(result.item?.prompt).toEqual([{ role: 'user', content: prompt }]);
		expect(result.item?.responses.map((response) => response.content)).toEqual([
			' Yes, it is.',
			' Yes, always green.'
		]);
	});

	it('reports plain strings with no common start', () => {
		expect(issuesOf({ chosen: 'Blue', rejected: 'Bright green' })).toEqual([
			'line 4, chosen: shares no prompt text with "rejected" (no common start ending in a space or "Assistant:"); add a "prompt" field'
		]);
		expect(issuesOf({ chosen: 'Same', rejected: 'Same' })).toEqual([
			'line 4, rejected: is identical to "chosen"'
		]);
	});

	it('reports a side with nothing left after the prompt', () => {
		expect(issuesOf({ chosen: 'The sky is ', rejected: 'The sky is blue' })).toEqual([
			'line 4, chosen: has nothing left after the prompt it shares with the other side'
		]);
	});

	it('reports sides of different forms', () => {
		expect(issuesOf({ chosen: 'Blue', rejected: [assistant('Green')] })).toEqual([
			'line 4, rejected: must have the same form as "chosen": both text or both lists of messages'
		]);
	});
});

describe('parseTrlLine: scores and extra fields', () => {
	it('takes score_chosen and score_rejected as AI scores', () => {
		const result = parse({
			prompt: 'Q',
			chosen: 'A',
			rejected: 'B',
			score_chosen: 8,
			score_rejected: 3
		});
		expect(result.item?.responses).toEqual([
			{ content: 'A', aiScore: 8, aiRank: 1 },
			{ content: 'B', aiScore: 3, aiRank: 2 }
		]);
	});

	it('turns a lone margin into scores that differ by the margin', () => {
		const result = parse({ prompt: 'Q', chosen: 'A', rejected: 'B', margin: 2.5 });
		expect(result.item?.responses).toEqual([
			{ content: 'A', aiScore: 2.5, aiRank: 1 },
			{ content: 'B', aiScore: 0, aiRank: 2 }
		]);
		expect(result.item?.metadata).toEqual({ margin: 2.5 });
	});

	it('keeps other fields in metadata and a string id as the external id', () => {
		const result = parse({ id: 'row-9', prompt: 'Q', chosen: 'A', rejected: 'B', source: 'hh' });
		expect(result.item?.externalId).toBe('row-9');
		expect(result.item?.metadata).toEqual({ source: 'hh' });
	});
});

describe('parseTrlLine: bad input', () => {
	it('reports invalid JSON', () => {
		const [issue] = parseTrlLine('{"chosen": ', 2, 'honest', DEFAULT_LIMITS).issues;
		expect(formatIssue(issue)).toMatch(/^line 2: is not valid JSON/);
	});

	it('reports missing and mistyped fields', () => {
		expect(issuesOf({ chosen: 'A' })).toEqual(['line 4, rejected: is missing']);
		expect(issuesOf({ prompt: 'Q', chosen: 1, rejected: 'B', margin: 'big' })).toEqual([
			'line 4, chosen: must be text or a list of {"role", "content"} messages',
			'line 4, margin: must be a number'
		]);
		expect(
			issuesOf({ prompt: [{ role: 'bot', content: 'x' }], chosen: 'A', rejected: 'B' })
		).toEqual([
			'line 4, prompt[0].role: must be one of "system", "developer", "user", "assistant"'
		]);
	});

	it('rejects a response longer than the limit', () => {
		const limits = { ...DEFAULT_LIMITS, maxResponseChars: 5 };
		expect(issuesOf({ prompt: 'Q', chosen: 'A', rejected: 'too long' }, limits)).toEqual([
			'line 4, rejected: is 8 characters long; a response may have at most 5'
		]);
	});
});

describe('parseTrl', () => {
	async function parseFile(text: string): Promise<NativeResult[]> {
		const results: NativeResult[] = [];
		const lines = readLines([text], DEFAULT_LIMITS);
		for await (const result of parseTrl(lines, 'honest', DEFAULT_LIMITS)) results.push(result);
		return results;
	}

	it('gives every line the trait chosen by the caller', async () => {
		const text =
			'{"prompt":"Q","chosen":"A","rejected":"B"}\n{"prompt":"R","chosen":"C","rejected":"D"}\n';
		const results = await parseFile(text);
		expect(results.map((result) => result.item?.traitKey)).toEqual(['honest', 'honest']);
	});

	it('reports an empty file', async () => {
		const results = await parseFile('');
		expect(results.flatMap((result) => result.issues).map(formatIssue)).toEqual([
			'the file is empty: it contains no items'
		]);
	});
});
