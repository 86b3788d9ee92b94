import { z } from 'zod';

/**
 * A count a person types (a scale, an overlap, a quota): decimal digits only. `Number()` and
 * `z.coerce.number()` also take "0x10" (16), "1e1", "+7" and "7.0", so a typo or a script's
 * odd value would become a number nobody meant. Client-safe.
 */
const DIGITS = /^[0-9]{1,9}$/;
const NOT_DIGITS = 'must be a whole number written with the digits 0–9';

/** The number `text` spells in decimal digits, or null. */
export function parseWholeNumber(text: string): number | null {
	return DIGITS.test(text) ? Number(text) : null;
}

/** A zod schema for a whole number written in digits; its range is for the caller to check. */
export function wholeNumber(message = NOT_DIGITS) {
	return z.string().trim().regex(DIGITS, message).transform(Number);
}

/** A whole number written in digits, between `min` and `max`. */
export function wholeNumberBetween(min: number, max: number, message = `must be ${min} to ${max}`) {
	return wholeNumber().pipe(z.number().min(min, message).max(max, message));
}
