import type { EvidenceInput } from '$lib/evidence';
import type { ImportIssue } from '$lib/import-result';
import { completenessProblems, type ReviewInput } from '$lib/review-input';
import { placeFileEvidence } from './evidence';
import type { ReviewLine } from './line';
import type { BatchTarget, TargetItem, TargetResponse } from './target';

/**
 * A review line matched to this instance: its item by (item_id, trait_key) in the batch, its
 * responses by external_id (else position), its trait version by number. The checks run in the
 * order a lead fixes a file: the item, the responses, the judgements, the evidence.
 */

export type MatchedReview = {
	line: number;
	item: TargetItem;
	traitVersionId: number;
	input: ReviewInput;
	submittedAt: number | null;
};

function issue(line: number, path: string, message: string): { issues: ImportIssue[] } {
	return { issues: [{ line, path, message }] };
}

/** Each entry's response, or the first entry that names none (or one already named). */
function matchResponses(
	review: ReviewLine,
	item: TargetItem
): { matched: TargetResponse[] } | { issues: ImportIssue[] } {
	const taken = new Set<number>();
	const matched: TargetResponse[] = [];
	for (const [i, entry] of review.responses.entries()) {
		const byId = entry.externalId !== null;
		const response = byId
			? item.responses.find((r) => r.externalId === entry.externalId)
			: item.responses.find((r) => r.position === entry.position);
		const path = `responses[${i}].${byId ? 'external_id' : 'position'}`;
		const named = byId ? `id "${entry.externalId}"` : `position ${entry.position}`;
		if (!response) {
			return issue(review.line, path, `Item "${item.externalId}" has no response with ${named}.`);
		}
		if (taken.has(response.id)) {
			return issue(review.line, path, `The response with ${named} is given twice.`);
		}
		taken.add(response.id);
		matched.push(response);
	}
	if (matched.length !== item.responses.length) {
		const [has, gives] = [item.responses.length, matched.length];
		return issue(
			review.line,
			'responses',
			`Item "${item.externalId}" has ${has} responses here; the line judges ${gives}.`
		);
	}
	return { matched };
}

/** Each entry's spans on its matched response, in the file's order: the review's evidence. */
function matchEvidence(
	target: BatchTarget,
	review: ReviewLine,
	item: TargetItem,
	matched: TargetResponse[]
): { evidence: EvidenceInput[] } | { issues: ImportIssue[] } {
	if (review.responses.every((entry) => entry.evidence.length === 0)) return { evidence: [] };
	const texts = target.responseTexts(item.id);
	const evidence: EvidenceInput[] = [];
	for (const [entry, { evidence: spans }] of review.responses.entries()) {
		const responseId = matched[entry].id;
		const at = { line: review.line, entry, responseId };
		const placed = placeFileEvidence(spans, texts.get(responseId) ?? '', at);
		if (placed.issue) return { issues: [placed.issue] };
		evidence.push(...placed.evidence);
	}
	return { evidence };
}

export function matchReview(
	target: BatchTarget,
	review: ReviewLine
): { review: MatchedReview; issues?: never } | { review?: never; issues: ImportIssue[] } {
	const { line } = review;
	const item = target.item(review.itemId, review.traitKey);
	if (!item) {
		return issue(
			line,
			'item_id',
			`The batch "${target.batch.name}" has no item "${review.itemId}" for the trait "${review.traitKey}".`
		);
	}
	const traitVersionId = target.traitVersionId(item.traitId, review.traitVersion);
	if (traitVersionId === null) {
		return issue(
			line,
			'trait_version',
			`The trait "${review.traitKey}" has no version ${review.traitVersion} here.`
		);
	}
	const responses = matchResponses(review, item);
	if ('issues' in responses) return responses;
	const input: ReviewInput = {
		scores: Object.fromEntries(responses.matched.map((r, i) => [r.id, review.responses[i].score])),
		ranks: Object.fromEntries(responses.matched.map((r, i) => [r.id, review.responses[i].rank])),
		comments: Object.fromEntries(
			responses.matched.map((r, i) => [r.id, review.responses[i].comment])
		),
		overallComment: review.overallComment,
		flags: review.flags,
		timeSpentMs: review.timeSpentMs,
		evidence: []
	};
	// The same rule a researcher's submit meets: every response scored on the scale and ranked.
	const ids = item.responses.map((r) => r.id);
	const problems = completenessProblems(ids, target.batch.scalePoints, input);
	if (problems.length) return issue(line, 'responses', problems.join(' '));
	const evidence = matchEvidence(target, review, item, responses.matched);
	if ('issues' in evidence) return evidence;
	input.evidence = evidence.evidence;
	return { review: { line, item, traitVersionId, input, submittedAt: review.submittedAt } };
}
