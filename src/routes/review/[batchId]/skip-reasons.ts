/** The reasons the skip dialog offers; "Other" asks for the researcher's own words. */
export const SKIP_REASONS = [
	'Prompt is broken',
	'Responses unreadable',
	'Outside my expertise',
	'Unsafe content',
	'Other'
] as const;

/** The reason a skip records: the chosen one, with the details when there are any. */
export function skipReason(preset: string, details: string): string {
	const words = details.trim();
	if (!preset || preset === 'Other') return words;
	return words ? `${preset}: ${words}` : preset;
}

/**
 * What the skip leaves in the history entry of the page it goes to (SvelteKit's page.state):
 * that page confirms the skip, and a reload of it, which drops the state, no longer does.
 */
export type SkippedState = { skipped?: string };
