import { formatCount } from '$lib/format';
import type { Turn } from '../../imports';

/**
 * Most trainers know fewer roles than an imported prompt can hold (system, developer, user,
 * assistant, tool), and many want user and assistant turns to alternate. These helpers reshape
 * a prompt for them, the same way for every format, and count each change per item so the card
 * and the preview can say what was changed.
 */

const prompts = (n: number) => (n === 1 ? '1 prompt' : `${formatCount(n)} prompts`);
const them = (n: number) => (n === 1 ? 'it' : 'them');

const NOTES = {
	toolFolded: (n: number) =>
		`${prompts(n)} had tool output: it is written at the end of the assistant turn before it ("Tool: …"), since this format has no tool role.`,
	toolDropped: (n: number) =>
		`${prompts(n)} had tool output with no assistant turn before it to hold it: that output is left out.`,
	userOpened: (n: number) =>
		`${prompts(n)} had no user turn before the first assistant turn: an empty user turn now opens ${them(n)} (in HH, holding the system text).`,
	endsOnAssistant: (n: number) =>
		`${prompts(n)} ${n === 1 ? 'ends' : 'end'} on an assistant turn, where this format needs a user turn: the lines of ${them(n)} are left out.`
} as const;

export type ConversionNote = keyof typeof NOTES;
export type ConversionNotes = Partial<Record<ConversionNote, number>>;

export function countNote(notes: ConversionNotes, note: ConversionNote): void {
	notes[note] = (notes[note] ?? 0) + 1;
}

/** The notes as warnings, in a fixed order. */
export function describeNotes(notes: ConversionNotes): string[] {
	return (Object.keys(NOTES) as ConversionNote[])
		.filter((note) => notes[note])
		.map((note) => NOTES[note](notes[note] ?? 0));
}

/**
 * The roles of one prompt that a format could not write as themselves (a tool's output folded
 * into an assistant turn, developer text written as system text…), filled by the helpers below
 * when given: the content checks read it, so the formats' own handling is the only list.
 */
export type ReshapedRoles = Set<Turn['role']>;

export type Message = { role: 'system' | 'user' | 'assistant'; content: string };

/**
 * The prompt with only the roles every chat trainer knows: developer instructions become system
 * messages, and a tool's output joins the assistant turn that called it (or is left out when
 * there is none). A tool's output is never made a user turn: the user did not say it.
 */
export function withoutToolTurns(
	prompt: readonly Turn[],
	notes: ConversionNotes,
	reshaped?: ReshapedRoles
): Message[] {
	const messages: Message[] = [];
	let folded = false;
	let dropped = false;
	for (const turn of prompt) {
		if (turn.role !== 'system' && turn.role !== 'user' && turn.role !== 'assistant') {
			reshaped?.add(turn.role);
		}
		if (turn.role === 'tool') {
			const last = messages.at(-1);
			if (last?.role === 'assistant') {
				last.content += `\n\nTool: ${turn.content}`;
				folded = true;
			} else dropped = true;
			continue;
		}
		const role = turn.role === 'developer' ? 'system' : turn.role;
		messages.push({ role, content: turn.content });
	}
	if (folded) countNote(notes, 'toolFolded');
	if (dropped) countNote(notes, 'toolDropped');
	return messages;
}

export type DialogueTurn = { role: 'user' | 'assistant'; content: string };

/** A prompt as system text and alternating turns that open on a user turn. */
export type Dialogue = { system: string; turns: DialogueTurn[] };

/**
 * The prompt as a dialogue: the system and developer text that leads it becomes the system
 * text; later instructions join the user turn they stand with; turns of the same role in a row
 * become one. A dialogue that would open on an assistant turn (or hold no turn at all) gets an
 * empty user turn first, since every trainer here reads the first turn as the user's.
 */
export function toDialogue(
	prompt: readonly Turn[],
	notes: ConversionNotes,
	reshaped?: ReshapedRoles
): Dialogue {
	const messages = withoutToolTurns(prompt, notes, reshaped);
	const system: string[] = [];
	let i = 0;
	for (; i < messages.length && messages[i].role === 'system'; i++) {
		system.push(messages[i].content);
	}
	const turns: DialogueTurn[] = [];
	for (const message of messages.slice(i)) {
		const role = message.role === 'assistant' ? 'assistant' : 'user';
		if (message.role === 'system') reshaped?.add('system');
		const last = turns.at(-1);
		if (last?.role === role) last.content += `\n\n${message.content}`;
		else turns.push({ role, content: message.content });
	}
	if (turns[0]?.role !== 'user') {
		countNote(notes, 'userOpened');
		turns.unshift({ role: 'user', content: '' });
	}
	return { system: system.join('\n\n'), turns };
}

/**
 * The dialogue when it ends on a user turn, as formats with strict alternation need; null
 * (counted) when it ends on an assistant turn, which such a trainer would refuse or skip.
 */
export function dialogueEndingOnUser(
	prompt: readonly Turn[],
	notes: ConversionNotes,
	reshaped?: ReshapedRoles
): Dialogue | null {
	const dialogue = toDialogue(prompt, notes, reshaped);
	if (dialogue.turns.at(-1)?.role === 'user') return dialogue;
	countNote(notes, 'endsOnAssistant');
	return null;
}

/** The dialogue as chat messages: the system text (if any) first. */
export function dialogueMessages(dialogue: Dialogue): Message[] {
	const system: Message[] = dialogue.system ? [{ role: 'system', content: dialogue.system }] : [];
	return [...system, ...dialogue.turns.map((turn) => ({ ...turn }))];
}
