import { dialogueEndingOnUser, dialogueMessages } from './conversation';
import { marginField, type PairWriter } from './line';

/**
 * OpenRLHF's reward and DPO datasets (openrlhf/datasets/reward_dataset.py), read with
 * `--apply_chat_template`: `chosen` and `rejected` are whole conversations, the prompt's turns
 * then the answer (`--chosen_key chosen --rejected_key rejected`); with the separate-prompt
 * option the prompt is its own list under `prompt` (`--prompt_key prompt`) and each answer a
 * list of one assistant message. `margin` feeds its margin loss. Roles are system, user and
 * assistant, and the prompt ends on a user turn, as chat templates that check the turns need.
 */
export const openrlhf: PairWriter = (prompt, ctx) => {
	const dialogue = dialogueEndingOnUser(prompt, ctx.notes, ctx.reshaped);
	if (!dialogue) return null;
	const messages = dialogueMessages(dialogue);
	const answer = (content: string) => ({ role: 'assistant', content });
	if (ctx.separatePrompt) {
		return (chosen, rejected, margin) => ({
			prompt: messages,
			chosen: [answer(chosen)],
			rejected: [answer(rejected)],
			...marginField(margin)
		});
	}
	return (chosen, rejected, margin) => ({
		chosen: [...messages, answer(chosen)],
		rejected: [...messages, answer(rejected)],
		...marginField(margin)
	});
};
