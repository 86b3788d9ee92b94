import { evidenceListSchema, type EvidenceInput } from '$lib/evidence';
import type { ImportIssue } from '$lib/import-result';
import { formatPath } from '../imports/parsers/json-checks';

/**
 * Evidence spans in a reviews file: each response entry's `evidence`, as the `reviews-jsonl`
 * export writes it (`{start, end, stance, note, text}`). They are held to the review page's
 * own rules (evidenceListSchema: whole offsets, start before end, the stance, the note's
 * length, the count per review), then, once the entry's response is known here, to its text.
 */

/** A span as the file gives it; `text` is the marked stretch where the file was made. */
export type FileSpan = Omit<EvidenceInput, 'responseId'> & { text?: string };

/** An entry's spans, each read as the page reads one; `entry` is the response entry's index. */
type RawSpan = { entry: number; index: number; span: Record<string, unknown> };

/**
 * Every entry's spans checked together, as one review's evidence: the spans per entry, or
 * each problem with the field it lies in (`responses[1].evidence[0].end`).
 */
export function readFileEvidence(
	entries: readonly { evidence: Record<string, unknown>[] }[],
	line: number
): { spans: FileSpan[][]; issues?: never } | { spans?: never; issues: ImportIssue[] } {
	const raw: RawSpan[] = entries.flatMap((e, entry) =>
		e.evidence.map((span, index) => ({ entry, index, span }))
	);
	// The entry's index stands in for the response the page would name: it is matched later.
	const parsed = evidenceListSchema.safeParse(raw.map((r) => ({ ...r.span, responseId: r.entry })));
	if (!parsed.success) {
		return {
			issues: parsed.error.issues.map((issue) => {
				const [at, ...field] = issue.path;
				const where = typeof at === 'number' ? raw[at] : undefined;
				const path = where
					? formatPath(['responses', where.entry, 'evidence', where.index, ...field])
					: 'responses';
				return { line, path, message: issue.message };
			})
		};
	}
	const spans: FileSpan[][] = entries.map(() => []);
	parsed.data.forEach(({ responseId: entry, ...span }, i) => {
		const { text } = raw[i].span;
		spans[entry].push(typeof text === 'string' ? { ...span, text } : span);
	});
	return { spans };
}

/**
 * One entry's spans against its response's text here: inside it, and where the file says what
 * it marked, the same stretch. A different stretch means the file was made against other
 * texts, so its offsets would mark the wrong words.
 */
export function placeFileEvidence(
	spans: readonly FileSpan[],
	content: string,
	at: { line: number; entry: number; responseId: number }
): { evidence: EvidenceInput[]; issue?: never } | { evidence?: never; issue: ImportIssue } {
	const evidence: EvidenceInput[] = [];
	for (const [index, { text, ...span }] of spans.entries()) {
		const field = (name: string) => formatPath(['responses', at.entry, 'evidence', index, name]);
		if (span.end > content.length) {
			const message = `Evidence runs past the end of its response here (${span.end} > ${content.length} characters): the file was made against other texts.`;
			return { issue: { line: at.line, path: field('end'), message } };
		}
		const marked = content.slice(span.start, span.end);
		if (text !== undefined && text !== marked) {
			const message = `The evidence marks ${JSON.stringify(clip(marked))} in this response here, not ${JSON.stringify(clip(text))}: the file was made against other texts.`;
			return { issue: { line: at.line, path: field('text'), message } };
		}
		evidence.push({ responseId: at.responseId, ...span });
	}
	return { evidence };
}

/** Enough of a stretch to recognise it in a message. */
function clip(text: string): string {
	return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
