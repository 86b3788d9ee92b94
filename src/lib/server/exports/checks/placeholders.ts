/**
 * Text a generator or an editor left standing in for an answer. The list, each with why it is
 * written as it is:
 * - `[...]` and `[…]`: an elided passage (brackets around an ellipsis only, so `a[i]` and `[1]`
 *   are ordinary text);
 * - `TODO`, `TBD`, `FIXME` as whole words in capitals (so "a todo list" is ordinary text);
 * - `<placeholder>` (any case, spaces allowed inside the angle brackets);
 * - `[insert …]`, `[your …]`, `[add …]`: a blank for someone to fill in, such as `[Your name]`;
 * - `lorem ipsum` (any case);
 * - `{{…}}`: a template hole left unfilled, such as `{{user_name}}`, on one line.
 */
export const PLACEHOLDER_PATTERNS: readonly { name: string; pattern: RegExp }[] = [
	{ name: '[...]', pattern: /\[\s*(?:\.\.\.|…)\s*\]/ },
	{ name: 'TODO / TBD / FIXME', pattern: /\b(?:TODO|TBD|FIXME)\b/ },
	{ name: '<placeholder>', pattern: /<\s*placeholder\s*>/i },
	{ name: '[insert …]', pattern: /\[(?:insert|your|add)\s[^\]\n]{1,60}\]/i },
	{ name: 'lorem ipsum', pattern: /\blorem\s+ipsum\b/i },
	{ name: '{{…}}', pattern: /\{\{[^{}\n]{1,80}\}\}/ }
];

/**
 * What every pattern above needs somewhere in the text: one scan that rules most texts out, so
 * an export of a million pairs does not run six patterns over every response (it did: a sixth
 * of the checks' time). Looser than the patterns, never stricter.
 */
const MAYBE_PLACEHOLDER = /[[<{]|TODO|TBD|FIXME|lorem/i;

/** The first placeholder in the text, by the list's name for it; null when there is none. */
export function findPlaceholder(text: string): string | null {
	if (!MAYBE_PLACEHOLDER.test(text)) return null;
	return PLACEHOLDER_PATTERNS.find(({ pattern }) => pattern.test(text))?.name ?? null;
}
