import type { ExportFormat } from '$lib/export-options';
import { dialogueEndingOnUser, type DialogueTurn } from './conversation';
import type { PairWriter } from './line';

/**
 * LLaMA-Factory's ranking (preference) data, as its data/README documents
 * (https://github.com/hiyouga/LLaMA-Factory/blob/main/data/README.md). Its reader checks the
 * turns strictly: they alternate human then assistant, and the prompt ends on a human turn, or
 * it skips the example. So the prompt is reshaped into a dialogue (see toDialogue), and an item
 * whose prompt ends on an assistant turn gets no line (counted, with a warning).
 */

/** alpaca: the last user turn is the instruction; earlier turns are [user, assistant] pairs. */
export const llamaFactoryAlpaca: PairWriter = (prompt, ctx) => {
	const dialogue = dialogueEndingOnUser(prompt, ctx.notes, ctx.reshaped);
	if (!dialogue) return null;
	const turns = dialogue.turns;
	const history: [string, string][] = [];
	for (let i = 0; i + 1 < turns.length; i += 2)
		history.push([turns[i].content, turns[i + 1].content]);
	// `system` and `history` are on every line, empty when there is none: a dataset whose
	// lines differ in their keys can fail to load as one table.
	const base = { instruction: turns[turns.length - 1].content, input: '' };
	return (chosen, rejected) => ({
		...base,
		chosen,
		rejected,
		system: dialogue.system,
		history
	});
};

const FROM: Record<DialogueTurn['role'], string> = { user: 'human', assistant: 'gpt' };

/** sharegpt: the system text as the first message, then the turns, ending on a human turn. */
export const llamaFactorySharegpt: PairWriter = (prompt, ctx) => {
	const dialogue = dialogueEndingOnUser(prompt, ctx.notes, ctx.reshaped);
	if (!dialogue) return null;
	const system = dialogue.system ? [{ from: 'system', value: dialogue.system }] : [];
	const conversations = [
		...system,
		...dialogue.turns.map((turn) => ({ from: FROM[turn.role], value: turn.content }))
	];
	return (chosen, rejected) => ({
		conversations,
		chosen: { from: 'gpt', value: chosen },
		rejected: { from: 'gpt', value: rejected }
	});
};

export function isLlamaFactoryFormat(format: string): boolean {
	return format === 'llama-factory-alpaca' || format === 'llama-factory-sharegpt';
}

/**
 * The `dataset_info.json` entry that tells LLaMA-Factory how to read a file of these lines:
 * `ranking`, `formatting`, and which columns and tags hold what.
 */
export function datasetInfoEntry(format: ExportFormat, fileName: string): object {
	if (format === 'llama-factory-alpaca') {
		return {
			file_name: fileName,
			ranking: true,
			formatting: 'alpaca',
			columns: {
				prompt: 'instruction',
				query: 'input',
				chosen: 'chosen',
				rejected: 'rejected',
				system: 'system',
				history: 'history'
			}
		};
	}
	if (format === 'llama-factory-sharegpt') {
		return {
			file_name: fileName,
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
		};
	}
	throw new Error(`${format} is not a LLaMA-Factory format`);
}
