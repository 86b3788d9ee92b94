import { z } from 'zod';

/**
 * Evidence spans as the review page sends them and the server checks them: stretches of a
 * response's raw text, as UTF-16 offsets (a textarea's selectionStart/End), marked for or
 * against the trait. Shared by the browser and the server, like review-input.ts.
 */

export const EVIDENCE_STANCES = ['for', 'against'] as const;
export type EvidenceStance = (typeof EVIDENCE_STANCES)[number];

export const MAX_EVIDENCE_SPANS = 50;
export const MAX_EVIDENCE_NOTE = 2000;

export const STANCE_LABELS = {
	for: 'For the trait',
	against: 'Against the trait'
} as const satisfies Record<EvidenceStance, string>;

const offset = z
	.number({ message: 'Evidence offsets must be whole numbers.' })
	.int('Evidence offsets must be whole numbers.')
	.min(0, 'Evidence offsets cannot be negative.');

export const evidenceSpanSchema = z
	.object({
		responseId: z.number({ message: 'Evidence must name its response.' }).int(),
		start: offset,
		end: offset,
		stance: z.enum(EVIDENCE_STANCES, { message: 'Evidence is either for or against the trait.' }),
		note: z
			.string({ message: 'An evidence note must be text.' })
			.max(
				MAX_EVIDENCE_NOTE,
				`Keep each evidence note under ${MAX_EVIDENCE_NOTE.toLocaleString('en')} characters.`
			)
			.nullish()
			.transform((note) => (note?.trim() ? note.trim() : null))
	})
	.refine((span) => span.start < span.end, {
		message: 'Evidence must cover at least one character (start before end).'
	});

export const evidenceListSchema = z
	.array(evidenceSpanSchema, { message: 'The evidence could not be read: reload the page.' })
	.max(MAX_EVIDENCE_SPANS, `Mark at most ${MAX_EVIDENCE_SPANS} pieces of evidence per review.`);

export type EvidenceInput = z.output<typeof evidenceSpanSchema>;

/** A response's text cut into plain and marked stretches, for highlighting spans in it. */
export type TextSegment = { text: string; stance: EvidenceStance | null };

/**
 * Cuts `text` at every span's edges. Where spans overlap, the later one in the list shows; a
 * span past the end of the text (the server refuses them) is clipped.
 */
export function segmentText(
	text: string,
	spans: readonly { start: number; end: number; stance: EvidenceStance }[]
): TextSegment[] {
	const clip = (n: number) => Math.max(0, Math.min(text.length, n));
	const edges = [
		...new Set([0, text.length, ...spans.flatMap((s) => [clip(s.start), clip(s.end)])])
	];
	edges.sort((a, b) => a - b);
	const segments: TextSegment[] = [];
	for (let i = 0; i + 1 < edges.length; i++) {
		const [from, to] = [edges[i], edges[i + 1]];
		const covering = spans.findLast((s) => s.start <= from && s.end >= to);
		const stance = covering?.stance ?? null;
		const last = segments[segments.length - 1];
		if (last && last.stance === stance) last.text += text.slice(from, to);
		else segments.push({ text: text.slice(from, to), stance });
	}
	return segments;
}
