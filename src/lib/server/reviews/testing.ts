// Shared by this folder's tests: a fixed clock and a complete review for any item.
import { asc, eq } from 'drizzle-orm';
import type { AppDB } from '../db';
import { responses } from '../db/schema';
import type { Claim } from './queue';

export const T0 = new Date('2026-05-01T09:00:00Z');
export const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** A complete review: scores descending in file order, ranks to match. */
export function completeInput(db: AppDB, itemId: number) {
	const ids = db
		.select({ id: responses.id })
		.from(responses)
		.where(eq(responses.itemId, itemId))
		.orderBy(asc(responses.position))
		.all()
		.map((r) => r.id);
	return {
		scores: Object.fromEntries(ids.map((id, i) => [id, 7 - i])),
		ranks: Object.fromEntries(ids.map((id, i) => [id, i + 1])),
		comments: { [ids[0]]: 'best' },
		overallComment: 'clear call',
		flags: [],
		timeSpentMs: 4200
	};
}

/** The item a claim handed out; a test that expected one fails here when there is none. */
export function claimed(result: Claim): number {
	if (result.itemId === null) throw new Error(`no item: ${result.reason}`);
	return result.itemId;
}
