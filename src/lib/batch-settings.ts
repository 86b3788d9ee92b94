/**
 * Reviews wanted per item (a batch's overlap): the bounds the import form, the import API and
 * CLI, the assignments page and the database's check constraint all hold to. Client-safe, so
 * the forms' `min`/`max` come from the same numbers the server checks.
 */
export const OVERLAP_MIN = 1;
export const OVERLAP_MAX = 50;

export function isValidOverlap(overlap: number): boolean {
	return Number.isInteger(overlap) && overlap >= OVERLAP_MIN && overlap <= OVERLAP_MAX;
}
