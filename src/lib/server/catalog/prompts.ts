import { asc, eq } from 'drizzle-orm';
import type { DB } from '../db';
import { prompts } from '../db/schema';

/** The first prompts of a trait that wait for responses (Open Character Training imports). */
export function listTraitPrompts(db: DB, traitId: number, limit = 100) {
	return db
		.select({ id: prompts.id, externalId: prompts.externalId, text: prompts.text })
		.from(prompts)
		.where(eq(prompts.traitId, traitId))
		.orderBy(asc(prompts.id))
		.limit(limit)
		.all();
}
