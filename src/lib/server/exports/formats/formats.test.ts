import { beforeEach, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, type ExportFormat } from '$lib/export-options';
import { createTestDb } from '../../../../../tests/support/db';
import { buildConversationBatch } from '../../../../../tests/support/export-conversations';
import { buildExportBatch } from '../../../../../tests/support/export-fixture';
import type { AppDB } from '../../db';
import { exportOptionsSchema, previewExport, type ExportOptionsInput } from '../index';
import { datasetInfoEntry } from './llama-factory';

/**
 * Every format's lines, checked against the rules its trainer documents, on the export
 * fixture (plain prompts) and the conversation fixture (system, developer and tool turns, a
 * prompt opening on the assistant, one with no user turn).
 */

type Line = Record<string, unknown>;
type Msg = { role: string; content: string };

let db: AppDB;
let batchIds: number[];

beforeEach(async () => {
	db = createTestDb();
	const plain = await buildExportBatch(db, { lock: true });
	const conversations = await buildConversationBatch(db);
	batchIds = [plain.batchId, conversations.batchId];
});

async function exported(format: ExportFormat, input: Partial<ExportOptionsInput> = {}) {
	const options = exportOptionsSchema.parse({ batchIds, format, ...input });
	const preview = await previewExport(db, options, 1000);
	const lines = preview.rows as Line[];
	const byItem = (id: string) => lines.filter((l) => (l.metadata as Line)?.item_id === id);
	return { lines, warnings: preview.warnings, byItem };
}

const isText = (v: unknown) => typeof v === 'string';

function expectMessages(messages: unknown, roles: string[]): asserts messages is Msg[] {
	expect(Array.isArray(messages)).toBe(true);
	for (const m of messages as Msg[]) {
		expect(Object.keys(m)).toEqual(['role', 'content']);
		expect(roles).toContain(m.role);
		expect(isText(m.content)).toBe(true);
	}
}

/** A system message may lead; then user and assistant alternate, from user, ending on user. */
function expectDialogue(messages: Msg[]) {
	const turns = messages[0]?.role === 'system' ? messages.slice(1) : messages;
	expect(turns.length % 2).toBe(1);
	turns.forEach((m, i) => expect(m.role).toBe(i % 2 === 0 ? 'user' : 'assistant'));
}

const c1System = 'You are a travel assistant.\n\nAnswer in one sentence.';
const c1Tool = 'Let me check.\n\nTool: Paris: 18°C, sunny';

describe('line formats against their trainers’ rules', () => {
	it('TRL standard and KTO: text fields; conversational: message lists as imported', async () => {
		for (const line of (await exported('trl', { includeMargin: true })).lines) {
			expect(Object.keys(line)).toEqual(['prompt', 'chosen', 'rejected', 'margin', 'metadata']);
			expect([line.prompt, line.chosen, line.rejected].every(isText)).toBe(true);
			expect(typeof line.margin).toBe('number');
		}
		for (const line of (await exported('kto')).lines) {
			expect(Object.keys(line)).toEqual(['prompt', 'completion', 'label', 'metadata']);
			expect(typeof line.label).toBe('boolean');
		}
		const conversational = await exported('trl-conversational');
		for (const line of conversational.lines) {
			expectMessages(line.prompt, ['system', 'developer', 'user', 'assistant', 'tool']);
			expect(line.chosen).toEqual([{ role: 'assistant', content: expect.any(String) }]);
			expect(line.rejected).toEqual([{ role: 'assistant', content: expect.any(String) }]);
		}
	});

	it('LLaMA-Factory alpaca: instruction, input, chosen, rejected, system, history pairs', async () => {
		const { lines, byItem, warnings } = await exported('llama-factory-alpaca');
		for (const line of lines) {
			expect(Object.keys(line)).toEqual([
				'instruction',
				'input',
				'chosen',
				'rejected',
				'system',
				'history',
				'metadata'
			]);
			expect(
				[line.instruction, line.input, line.chosen, line.rejected, line.system].every(isText)
			).toBe(true);
			for (const pair of line.history as unknown[]) {
				expect(pair).toEqual([expect.any(String), expect.any(String)]);
			}
		}
		expect(byItem('c1')[0]).toMatchObject({
			instruction: 'So, jacket or not?',
			input: '',
			chosen: 'No jacket needed: it is 18°C and sunny.',
			rejected: 'Take a coat.',
			system: c1System,
			history: [['What is the weather in Paris?', c1Tool]]
		});
		expect(byItem('c3')[0]).toMatchObject({
			instruction: '',
			system: expect.stringMatching(/^Is/)
		});
		// c2 ends on the assistant's turn: LLaMA-Factory would skip it, so it has no line.
		expect(byItem('c2')).toEqual([]);
		expect(warnings).toContain(
			'1 prompt ends on an assistant turn, where this format needs a user turn: the lines of it are left out.'
		);
	});

	it('LLaMA-Factory sharegpt: human and gpt alternate and end on human, as its reader checks', async () => {
		const { lines, byItem } = await exported('llama-factory-sharegpt');
		for (const line of lines) {
			expect(Object.keys(line)).toEqual(['conversations', 'chosen', 'rejected', 'metadata']);
			const messages = line.conversations as { from: string; value: string }[];
			// LLaMA-Factory's converter: an optional system message first, then human (or
			// observation) at even positions and gpt at odd ones, an odd count for ranking data.
			const turns = messages[0].from === 'system' ? messages.slice(1) : messages;
			expect(turns.length % 2).toBe(1);
			turns.forEach((m, i) => expect(m.from).toBe(i % 2 === 0 ? 'human' : 'gpt'));
			expect(line.chosen).toEqual({ from: 'gpt', value: expect.any(String) });
			expect(line.rejected).toEqual({ from: 'gpt', value: expect.any(String) });
		}
		expect(byItem('c1')[0].conversations).toEqual([
			{ from: 'system', value: c1System },
			{ from: 'human', value: 'What is the weather in Paris?' },
			{ from: 'gpt', value: c1Tool },
			{ from: 'human', value: 'So, jacket or not?' }
		]);
		expect(byItem('c4')[0].conversations).toEqual([
			{ from: 'human', value: 'Run the tests.\n\nBe brief.' }
		]);
	});

	it('gives the dataset_info.json entry LLaMA-Factory documents for ranking data', () => {
		expect(datasetInfoEntry('llama-factory-sharegpt', 'pairs.jsonl')).toEqual({
			file_name: 'pairs.jsonl',
			ranking: true,
			formatting: 'sharegpt',
			columns: { messages: 'conversations', chosen: 'chosen', rejected: 'rejected' },
			tags: {
				role_tag: 'from',
				content_tag: 'value',
				user_tag: 'human',
				assistant_tag: 'gpt',
				system_tag: 'system'
			}
		});
		expect(datasetInfoEntry('llama-factory-alpaca', 'pairs.jsonl')).toMatchObject({
			ranking: true,
			formatting: 'alpaca',
			columns: { prompt: 'instruction', query: 'input', system: 'system', history: 'history' }
		});
	});

	it('OpenRLHF: chosen and rejected share the prompt as a prefix, or take a separate prompt', async () => {
		const implicit = await exported('openrlhf', { includeMargin: true });
		expect(implicit.lines.length).toBeGreaterThan(0);
		for (const line of implicit.lines) {
			expect(Object.keys(line)).toEqual(['chosen', 'rejected', 'margin', 'metadata']);
			expectMessages(line.chosen, ['system', 'user', 'assistant']);
			expectMessages(line.rejected, ['system', 'user', 'assistant']);
			expect(line.chosen.slice(0, -1)).toEqual(line.rejected.slice(0, -1));
			expect(line.chosen.at(-1)!.role).toBe('assistant');
			expect(line.rejected.at(-1)!.role).toBe('assistant');
			expectDialogue(line.chosen.slice(0, -1));
		}
		const separate = await exported('openrlhf', { separatePrompt: true });
		for (const line of separate.lines) {
			expect(Object.keys(line)).toEqual(['prompt', 'chosen', 'rejected', 'metadata']);
			expectMessages(line.prompt, ['system', 'user', 'assistant']);
			expectDialogue(line.prompt);
			expect(line.chosen).toEqual([{ role: 'assistant', content: expect.any(String) }]);
		}
		expect(separate.byItem('c1')[0].prompt).toEqual([
			{ role: 'system', content: c1System },
			{ role: 'user', content: 'What is the weather in Paris?' },
			{ role: 'assistant', content: c1Tool },
			{ role: 'user', content: 'So, jacket or not?' }
		]);
	});

	it('Axolotl chat_template.default: messages, then one assistant message each', async () => {
		const { lines } = await exported('axolotl');
		for (const line of lines) {
			expect(Object.keys(line)).toEqual(['messages', 'chosen', 'rejected', 'metadata']);
			expectMessages(line.messages, ['system', 'user', 'assistant']);
			expectDialogue(line.messages);
			expect(line.chosen).toEqual({ role: 'assistant', content: expect.any(String) });
			expect(line.rejected).toEqual({ role: 'assistant', content: expect.any(String) });
		}
	});

	it('OpenAI (legacy): system, user and assistant only, no tool message, no metadata by default', async () => {
		const { lines, warnings, byItem } = await exported('openai', { includeMetadata: true });
		const plain = await exported('openai');
		for (const line of plain.lines) {
			expect(Object.keys(line)).toEqual(['input', 'preferred_output', 'non_preferred_output']);
			expectMessages((line.input as { messages: unknown }).messages, [
				'system',
				'user',
				'assistant'
			]);
			expect(JSON.stringify(line)).not.toContain('tool_call_id');
		}
		expect(Object.keys(lines[0])).toContain('metadata');
		expect((byItem('c4')[0].input as { messages: Msg[] }).messages).toEqual([
			{ role: 'user', content: 'Run the tests.' },
			{ role: 'system', content: 'Be brief.' }
		]);
		expect(warnings).toEqual([
			expect.stringMatching(
				/^2 prompts had tool output: it is written at the end of the assistant/
			),
			expect.stringMatching(/^1 prompt had tool output with no assistant turn before it/)
		]);
		expect(plain.warnings).toEqual(warnings);
	});

	it('HH: every transcript opens with Human; tool output stays on the assistant’s side', async () => {
		const { lines, byItem } = await exported('hh');
		for (const line of lines) {
			for (const transcript of [line.chosen, line.rejected] as string[]) {
				expect(transcript.startsWith('\n\nHuman: ')).toBe(true);
				for (const turn of transcript.split(/\n\n(?=Human: |Assistant: )/).slice(1)) {
					if (turn.startsWith('Human: ')) expect(turn).not.toContain('Tool: ');
				}
			}
			const prompt = (t: string) => t.slice(0, t.lastIndexOf('\n\nAssistant: '));
			expect(prompt(line.chosen as string)).toBe(prompt(line.rejected as string));
		}
		expect(byItem('c1')[0].chosen).toBe(
			`\n\nHuman: ${c1System}\n\nWhat is the weather in Paris?\n\nAssistant: ${c1Tool}` +
				'\n\nHuman: So, jacket or not?\n\nAssistant: No jacket needed: it is 18°C and sunny.'
		);
		expect(byItem('c2')[0].chosen).toMatch(/^\n\nHuman: \n\nAssistant: open_url/);
		expect(byItem('c3')[0].chosen).toMatch(/^\n\nHuman: Is this comment spam\?/);
	});

	it('leaves metadata out of every JSON line when asked, whatever the format', async () => {
		for (const format of EXPORT_FORMATS.filter((f) => f !== 'reviews-csv')) {
			const { lines } = await exported(format, { includeMetadata: false });
			expect(lines.length, format).toBeGreaterThan(0);
			for (const line of lines) expect(line, format).not.toHaveProperty('metadata');
		}
	});
});
