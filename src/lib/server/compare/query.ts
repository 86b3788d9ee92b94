/**
 * What a comparison is asked for, read from the page's GET form so that its URL can be shared
 * and the downloads can take the very same query.
 */

export type CompareQuery = {
	batchIds: number[];
	/** Models to compare; empty means every model in the batches. */
	models: string[];
	/** The two checkpoints whose difference is read, B against A; null until both are chosen. */
	a: string | null;
	b: string | null;
};

// A query string is anyone's to write: these keep one from asking for unbounded work.
const MAX_BATCHES = 100;
const MAX_MODELS = 100;
const MAX_MODEL_CHARS = 200;

export function parseCompareQuery(params: URLSearchParams): CompareQuery {
	const batchIds = [
		...new Set(
			params
				.getAll('batch')
				.filter((value) => /^\d{1,15}$/.test(value))
				.map(Number)
				.filter((id) => id > 0)
		)
	].slice(0, MAX_BATCHES);
	const models = [...new Set(params.getAll('model').map(modelName).filter(isName))].slice(
		0,
		MAX_MODELS
	);
	const a = modelName(params.get('a'));
	const b = modelName(params.get('b'));
	return { batchIds, models, a: isName(a) ? a : null, b: isName(b) ? b : null };
}

/** The query back as a search string, for the download links. */
export function compareSearch(query: CompareQuery): string {
	const params = new URLSearchParams();
	for (const id of query.batchIds) params.append('batch', String(id));
	for (const model of query.models) params.append('model', model);
	if (query.a) params.set('a', query.a);
	if (query.b) params.set('b', query.b);
	const search = params.toString();
	return search ? `?${search}` : '';
}

function modelName(value: string | null): string {
	return (value ?? '').trim().slice(0, MAX_MODEL_CHARS);
}

function isName(value: string): boolean {
	return value.length > 0;
}
