import type { EvidenceInput, EvidenceStance } from '$lib/evidence';
import type { AppDB } from '../db';
import { statement } from '../db/statements';

export type StoredEvidence = {
	responseId: number;
	start: number;
	end: number;
	stance: EvidenceStance;
	note: string | null;
};

/**
 * Makes a review's spans exactly those given, in the same transaction as the rest of the
 * review. A draft is saved many times; spans have no identity of their own worth keeping, so
 * they are replaced whole, and only when they changed (most saves change a score, not these).
 */
export function replaceEvidence(
	db: AppDB,
	reviewId: number,
	spans: readonly EvidenceInput[],
	now: Date
): void {
	const before = listEvidence(db, reviewId);
	if (sameSpans(before, spans)) return;
	const c = db.$client;
	statement(c, `DELETE FROM evidence_spans WHERE review_id = ?`).run(reviewId);
	const insert = statement(
		c,
		`INSERT INTO evidence_spans (review_id, response_id, start, "end", stance, note, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?)`
	);
	for (const s of spans) {
		insert.run(reviewId, s.responseId, s.start, s.end, s.stance, s.note, now.getTime());
	}
}

function sameSpans(a: readonly StoredEvidence[], b: readonly EvidenceInput[]): boolean {
	const key = (s: StoredEvidence) => [s.responseId, s.start, s.end, s.stance, s.note ?? null];
	return JSON.stringify(a.map(key)) === JSON.stringify(b.map(key));
}

/** A review's spans in the order they were marked. */
export function listEvidence(db: AppDB, reviewId: number): StoredEvidence[] {
	return statement(
		db.$client,
		`SELECT response_id AS responseId, start, "end", stance, note
		   FROM evidence_spans WHERE review_id = ? ORDER BY id`
	).all(reviewId) as StoredEvidence[];
}
