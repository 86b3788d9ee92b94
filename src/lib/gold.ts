/**
 * What a reviewer's accuracy on gold items reads as, in words: on the dashboard and in the
 * report for scripts. The reading itself is decided on the server (stats/gold-accuracy.ts).
 */
export const GOLD_READING_WORDS = {
	'too-few': 'too few to judge',
	below: 'below threshold',
	ok: 'ok'
} as const;
