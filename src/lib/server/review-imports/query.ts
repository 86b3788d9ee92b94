import { DomainError } from '../errors';
import { parseReviewerMap, type ReviewerMap } from './reviewers';

export type ReviewImportQuery = { map: ReviewerMap; source?: string; fileName?: string };

/**
 * The options of a reviews import sent as query parameters (the API): `map` once per reviewer
 * (`map=reviewer-1%3Dalice`), `source`, `filename`. A bad map is a DomainError on `map`.
 */
export function reviewImportQuery(params: URLSearchParams): ReviewImportQuery {
	const source = params.get('source')?.trim() || undefined;
	if (source && source.length > 100) {
		throw new DomainError('The source can have at most 100 characters.', 'source');
	}
	const fileName = params.get('filename')?.trim().slice(0, 255) || undefined;
	return { map: parseReviewerMap(params.getAll('map')), source, fileName };
}
