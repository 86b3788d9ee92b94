import { error } from '@sveltejs/kit';

/** A positive integer route parameter, or a 404: ids in URLs are never trusted as numbers. */
export function idParam(value: string, what = 'page'): number {
	const id = Number(value);
	if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id <= 0) {
		error(404, `There is no such ${what}.`);
	}
	return id;
}
