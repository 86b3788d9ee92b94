import { withoutToolTurns } from './conversation';
import type { PairWriter } from './line';

/**
 * OpenAI's DPO fine-tuning lines
 * (https://developers.openai.com/api/docs/guides/direct-preference-optimization). Legacy: OpenAI
 * is winding down its fine-tuning platform. Its messages take only the system, user and
 * assistant roles here: a `tool` message would need the `tool_call_id` of an assistant tool
 * call, which an imported prompt does not have.
 */
export const openaiDpo: PairWriter = (prompt, ctx) => {
	const messages = withoutToolTurns(prompt, ctx.notes, ctx.reshaped);
	return (chosen, rejected) => ({
		input: { messages },
		preferred_output: [{ role: 'assistant', content: chosen }],
		non_preferred_output: [{ role: 'assistant', content: rejected }]
	});
};
