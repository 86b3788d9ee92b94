import type { DB } from '../db';
import { prompts } from '../db/schema';
import type { ParsedItem } from './types';

/** Matches imported items to prompts waiting for responses: by id, else by the prompt's text. */
export function loadPromptLinks(tx: DB, traitIds: number[]) {
	const byId = new Map<string, number>();
	const byText = new Map<string, number>();
	if (traitIds.length) {
		const rows = tx
			.select({
				id: prompts.id,
				traitId: prompts.traitId,
				externalId: prompts.externalId,
				text: prompts.text
			})
			.from(prompts)
			.all()
			.filter((p) => traitIds.includes(p.traitId));
		for (const p of rows) {
			byId.set(`${p.traitId}\u0000${p.externalId}`, p.id);
			byText.set(`${p.traitId}\u0000${p.text}`, p.id);
		}
	}
	return {
		find(traitId: number, externalId: string, item: ParsedItem): number | undefined {
			if (!byId.size) return undefined;
			const viaId = byId.get(`${traitId}\u0000${externalId}`);
			if (viaId) return viaId;
			const single =
				item.prompt.length === 1 && item.prompt[0].role === 'user' ? item.prompt[0].content : null;
			return single === null ? undefined : byText.get(`${traitId}\u0000${single}`);
		}
	};
}
