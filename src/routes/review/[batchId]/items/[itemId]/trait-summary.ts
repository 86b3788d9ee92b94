const MAX_CHARS = 240;
// A sentence ends at . ! or ? followed by a capital, a quote or a bracket (so "e.g., like"
// and "i.e. the" do not end one), or by the end of the paragraph.
const SENTENCE_END = /[.!?](?=\s+[A-Z“"‘'(*_[]|\s*$)/;

/**
 * The line that stands for a trait's description on the review page: the first sentence of
 * its first paragraph, as markdown. `hasMore` says whether the description holds more than
 * that, so the page offers the full text only when there is some.
 */
export function summarizeTrait(description: string): { summary: string; hasMore: boolean } {
	const text = description.trim();
	const paragraph = (text.split(/\n\s*\n/)[0] ?? '')
		.split('\n')
		.map((line) => line.replace(/^\s*(#{1,6}\s+|[-*+>]\s+)/, '').trim())
		.join(' ');
	const end = paragraph.search(SENTENCE_END);
	let summary = end < 0 ? paragraph : paragraph.slice(0, end + 1);
	if (summary.length > MAX_CHARS) {
		const cut = summary.lastIndexOf(' ', MAX_CHARS);
		summary = `${summary.slice(0, cut > 0 ? cut : MAX_CHARS)}…`;
	}
	return { summary, hasMore: summary !== text };
}
