import { evidenceListSchema, type EvidenceInput } from '$lib/evidence';
import type { AppDB } from '../db';
import { statement } from '../db/statements';
import { DomainError } from '../errors';

/**
 * The evidence a review write sends, read and checked against the item's responses: each span
 * names a response of this item and lies within its raw text. Refused with a message that says
 * which rule it broke; nothing is written then (the caller's transaction rolls back).
 */
export function checkEvidence(db: AppDB, itemId: number, raw: unknown): EvidenceInput[] {
	const parsed = evidenceListSchema.safeParse(raw ?? []);
	if (!parsed.success) throw new DomainError(parsed.error.issues[0].message);
	const spans = parsed.data;
	if (!spans.length) return spans;
	const lengths = responseLengths(db, itemId);
	for (const span of spans) {
		const length = lengths.get(span.responseId);
		if (length === undefined) {
			throw new DomainError('Evidence names a response that is not in this item: reload the page.');
		}
		if (span.end > length) {
			throw new DomainError(
				`Evidence runs past the end of its response (${span.end} > ${length} characters): reload the page.`
			);
		}
	}
	return spans;
}

/**
 * Each response's length in UTF-16 code units, as the browser counts offsets. SQLite's
 * length() counts characters, which differs for emoji and other astral characters, so the
 * texts are read: only when a write carries evidence.
 */
function responseLengths(db: AppDB, itemId: number): Map<number, number> {
	const rows = statement(db.$client, `SELECT id, content FROM responses WHERE item_id = ?`).all(
		itemId
	) as { id: number; content: string }[];
	return new Map(rows.map((r) => [r.id, r.content.length]));
}
