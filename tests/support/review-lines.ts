import type { AppDB } from '../../src/lib/server/db';
// Lines of a reviews JSONL, as the reviews-jsonl export writes them, for the batches that
// importGeneratedBatch makes (item-N, trait warmth, 2 responses for odd N and 3 for even).

/** A complete review of item-N on a 7-point scale: response 0 best. */
export function reviewLine(item: number, reviewer: string, extra: Record<string, unknown> = {}) {
	const count = item % 2 ? 2 : 3;
	return {
		batch: 'Elsewhere',
		item_id: `item-${item}`,
		trait_key: 'warmth',
		trait_version: 1,
		reviewer,
		responses: Array.from({ length: count }, (_, p) => ({
			position: p,
			external_id: null as string | null,
			model: null,
			score: 7 - p,
			rank: p + 1,
			comment: ''
		})),
		overall_comment: 'imported',
		flags: [],
		time_spent_ms: 1200,
		submitted_at: '2026-03-01T10:00:00.000Z',
		...extra
	};
}

/** Lines as JSONL text; a string is kept as it is (a line that is not JSON). */
export function reviewsJsonl(lines: unknown[]): string {
	return lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';
}

/** A complete review line of an item already in a database, read from its rows. */
export function reviewOfItem(db: AppDB, itemId: number, reviewer: string) {
	const item = db.$client
		.prepare(
			`SELECT i.external_id, t.key, i.submitted_count, b.overlap FROM items i
			   JOIN traits t ON t.id = i.trait_id JOIN batches b ON b.id = i.batch_id WHERE i.id = ?`
		)
		.get(itemId) as { external_id: string; key: string; submitted_count: number; overlap: number };
	const responses = db.$client
		.prepare(`SELECT position, external_id FROM responses WHERE item_id = ? ORDER BY position`)
		.all(itemId) as { position: number; external_id: string | null }[];
	const line = {
		...reviewLine(1, reviewer),
		item_id: item.external_id,
		trait_key: item.key,
		responses: responses.map((r) => ({
			position: r.position,
			external_id: r.external_id,
			model: null,
			score: 1 + (r.position % 5),
			rank: r.position + 1,
			comment: ''
		}))
	};
	return { line, room: item.overlap - item.submitted_count };
}
