import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../limits';
import { parseTrlLine } from './trl';

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
