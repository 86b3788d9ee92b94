import type { Turn } from '../../imports';
import { toDialogue, type ConversionNotes, type ReshapedRoles } from './conversation';
import type { PairWriter } from './line';

/**
 * Anthropic HH transcripts (https://huggingface.co/datasets/Anthropic/hh-rlhf) know only Human
 * and Assistant, and always open with a Human turn. The system and developer text that leads
 * the prompt opens the first Human turn, so nothing the model was told is lost; a tool's output
 * stays on the assistant's side (see toDialogue).
 */
export function hhTranscript(
	prompt: readonly Turn[],
	notes: ConversionNotes = {},
	reshaped?: ReshapedRoles
): (answer: string) => string {
	const { system, turns } = toDialogue(prompt, notes, reshaped);
	// HH has no system role: the system text is written as the Human's.
	if (system) reshaped?.add('system');
	const [first, ...rest] = turns;
	const opening = [system, first.content].filter(Boolean).join('\n\n');
	let text = `\n\nHuman: ${opening}`;
	for (const turn of rest) {
		text += `\n\n${turn.role === 'user' ? 'Human' : 'Assistant'}: ${turn.content}`;
	}
	return (answer) => `${text}\n\nAssistant: ${answer}`;
}

export const hh: PairWriter = (prompt, ctx) => {
	const transcript = hhTranscript(prompt, ctx.notes, ctx.reshaped);
	return (chosen, rejected) => ({ chosen: transcript(chosen), rejected: transcript(rejected) });
};
