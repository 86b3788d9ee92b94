import { describe, expect, it } from 'vitest';
import type { Turn } from '../../imports';
import { promptFit } from '../formats';

const agentic: Turn[] = [
	{ role: 'developer', content: 'Answer briefly.' },
	{ role: 'user', content: 'Weather?' },
	{ role: 'assistant', content: 'Looking.' },
	{ role: 'tool', content: '12 °C' },
	{ role: 'user', content: 'Coat?' }
];
const withSystem: Turn[] = [
	{ role: 'system', content: 'Be kind.' },
	{ role: 'user', content: 'Hi' }
];

// The roles check reads each format's own writer: these are what the writers do, not a table.
describe('promptFit', () => {
	it('finds the tool and developer turns OpenAI and the strict chat formats reshape', () => {
		for (const format of ['openai', 'axolotl', 'openrlhf', 'llama-factory-sharegpt'] as const) {
			expect(promptFit(format, agentic), format).toEqual({
				written: true,
				reshaped: ['developer', 'tool']
			});
		}
	});

	it('finds the system text HH writes as the Human’s, which the chat formats carry', () => {
		expect(promptFit('hh', withSystem).reshaped).toEqual(['system']);
		expect(promptFit('axolotl', withSystem).reshaped).toEqual([]);
		expect(promptFit('openai', withSystem).reshaped).toEqual([]);
	});

	it('finds nothing for the formats that keep every turn', () => {
		for (const format of ['trl', 'trl-conversational', 'kto'] as const) {
			expect(promptFit(format, agentic), format).toEqual({ written: true, reshaped: [] });
		}
	});

	it('says when a format does not write the prompt at all', () => {
		const endsOnAssistant: Turn[] = [
			{ role: 'user', content: 'Hi' },
			{ role: 'assistant', content: 'Hello.' }
		];
		expect(promptFit('llama-factory-alpaca', endsOnAssistant).written).toBe(false);
		expect(promptFit('trl', endsOnAssistant).written).toBe(true);
	});
});
