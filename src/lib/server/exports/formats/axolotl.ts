import { dialogueEndingOnUser, dialogueMessages } from './conversation';
import type { PairWriter } from './line';

/**
 * Axolotl's `chat_template.default` DPO type
 * (https://docs.axolotl.ai/docs/rlhf.html#chat_template.default): the prompt as `messages`, each
 * answer as one assistant message. Roles are system, user and assistant, the ones its default
 * role mapping knows, and the prompt ends on a user turn (see dialogueEndingOnUser): chat
 * templates that check the turns refuse anything else.
 */
export const axolotl: PairWriter = (prompt, ctx) => {
	const dialogue = dialogueEndingOnUser(prompt, ctx.notes, ctx.reshaped);
	if (!dialogue) return null;
	const messages = dialogueMessages(dialogue);
	return (chosen, rejected) => ({
		messages,
		chosen: { role: 'assistant', content: chosen },
		rejected: { role: 'assistant', content: rejected }
	});
};
