import type { Turn } from '../../imports';
import type { ItemRecord } from '../../item-records';
import type { PreferencePair } from '../../stats';
import { marginField, type PairWriter } from './line';

/**
 * TRL's preference formats (https://huggingface.co/docs/trl/dataset_formats): an explicit
 * prompt, with the answers as text (standard) or as one assistant message each
 * (conversational). The conversational prompt keeps its turns as imported: TRL hands them to
 * the model's own chat template.
 */

const ROLE_NAMES: Record<Turn['role'], string> = {
	system: 'System',
	developer: 'Developer',
	user: 'User',
	assistant: 'Assistant',
	tool: 'Tool'
};

/**
 * The prompt as one string for the standard (non-conversational) formats: a lone user message
 * as it is, a conversation as labelled turns. Conversational formats keep the turns.
 */
export function promptAsText(prompt: readonly Turn[]): string {
	if (prompt.length === 1 && prompt[0].role === 'user') return prompt[0].content;
	return prompt.map((turn) => `${ROLE_NAMES[turn.role]}: ${turn.content}`).join('\n\n');
}

const assistant = (content: string) => [{ role: 'assistant' as const, content }];

export const trlStandard: PairWriter = (prompt) => {
	const text = promptAsText(prompt);
	return (chosen, rejected, margin) => ({
		prompt: text,
		chosen,
		rejected,
		...marginField(margin)
	});
};

export const trlConversational: PairWriter = (prompt) => (chosen, rejected, margin) => ({
	prompt,
	chosen: assistant(chosen),
	rejected: assistant(rejected),
	...marginField(margin)
});

/**
 * KTO takes single completions labelled desirable or not: each pair gives its chosen response
 * as desirable and its rejected one as undesirable (as TRL's unpairing does), each response
 * and label once per item.
 */
export function ktoLines(
	item: ItemRecord,
	pairs: readonly PreferencePair[],
	responseText: (id: string) => string,
	/** Adds the line's metadata; `completion` is the response id, for its evidence. */
	finish: (line: object, completion: string) => object
): object[] {
	const prompt = promptAsText(item.prompt);
	const seen = new Set<string>();
	const lines: object[] = [];
	const add = (id: string, label: boolean) => {
		const key = `${id}:${label}`;
		if (seen.has(key)) return;
		seen.add(key);
		lines.push(finish({ prompt, completion: responseText(id), label }, id));
	};
	for (const pair of pairs) {
		add(pair.chosen, true);
		add(pair.rejected, false);
	}
	return lines;
}
