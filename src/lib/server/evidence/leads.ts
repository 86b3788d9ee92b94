import type { EvidenceStance } from '$lib/evidence';
import type { ItemRecord } from '../item-records';

export type LeadEvidence = {
	responseId: number;
	start: number;
	end: number;
	stance: EvidenceStance;
	note: string | null;
	/** The marked stretch of the raw response text. */
	text: string;
	/** The reviewer as the lead's pages name them (pseudonyms for leads, usernames for admins). */
	reviewer: string;
};

/** Every submitted review's spans on an item, with their text and reviewer, for the lead pages. */
export function evidenceForLeads(
	item: Pick<ItemRecord, 'responses' | 'reviews'>,
	label: (userId: number) => string
): LeadEvidence[] {
	const texts = new Map(item.responses.map((r) => [r.id, r.content]));
	return item.reviews.flatMap((review) =>
		(review.evidence ?? []).map((span) => ({
			...span,
			text: (texts.get(span.responseId) ?? '').slice(span.start, span.end),
			reviewer: label(review.userId)
		}))
	);
}
