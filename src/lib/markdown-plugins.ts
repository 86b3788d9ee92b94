import type { MarkdownIt, StateBlock, StateCore, StateInline, Token } from 'markdown-it';

/**
 * The Model Spec's markdown extensions, which trait descriptions and its examples carry:
 * footnotes (`text[^m12p]`, `[^m12p]: note`), `!!! meta "Commentary"` admonitions, links to
 * other sections (`[?](#letter_and_spirit)`) and ` --- ` dashes. Left alone, markdown-it shows
 * them as raw markers, code blocks and links that go nowhere.
 */

export type MarkdownEnv = {
	/** Section (trait) titles by key, to name the section a `#key` link points to. */
	sections?: Record<string, string>;
	footnotes?: { defs: Map<string, string>; order: string[] };
};

const FOOTNOTE_DEF = /^\[\^([^\]\s]+)\]:[ \t]*/;
const FOOTNOTE_REF = /^\[\^([^\]\s]+)\]/;
const ADMONITION = /^!!!\s+(\w+)(?:\s+"([^"]*)")?\s*$/;

function lineText(state: StateBlock, line: number): string {
	return state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]);
}

const indented = (state: StateBlock, line: number) => state.sCount[line] - state.blkIndent >= 4;
const blank = (state: StateBlock, line: number) =>
	state.bMarks[line] + state.tShift[line] >= state.eMarks[line];

/** `[^label]: text`, with indented continuation lines: kept aside for the Notes list. */
function footnoteDefinition(state: StateBlock, start: number, end: number, silent: boolean) {
	if (indented(state, start)) return false;
	const match = FOOTNOTE_DEF.exec(lineText(state, start));
	if (!match) return false;
	if (silent) return true;
	const text = [lineText(state, start).slice(match[0].length)];
	let line = start + 1;
	for (; line < end; line++) {
		if (blank(state, line)) {
			if (line + 1 < end && indented(state, line + 1)) continue;
			break;
		}
		if (!indented(state, line) && FOOTNOTE_DEF.test(lineText(state, line))) break;
		text.push(lineText(state, line));
	}
	const env = state.env as MarkdownEnv;
	env.footnotes ??= { defs: new Map(), order: [] };
	env.footnotes.defs.set(match[1], text.join(' ').trim());
	state.line = line;
	return true;
}

/** A reference to a defined note becomes its number; one to a missing note disappears. */
function footnoteReference(state: StateInline, silent: boolean) {
	if (state.src.charCodeAt(state.pos) !== 0x5b || state.src.charCodeAt(state.pos + 1) !== 0x5e)
		return false;
	const match = FOOTNOTE_REF.exec(state.src.slice(state.pos));
	if (!match) return false;
	const notes = (state.env as MarkdownEnv).footnotes;
	if (!silent && notes?.defs.has(match[1])) {
		if (!notes.order.includes(match[1])) notes.order.push(match[1]);
		state.push('footnote_ref', 'sup', 0).meta = { n: notes.order.indexOf(match[1]) + 1 };
	}
	state.pos += match[0].length;
	return true;
}

/** `!!! kind "Title"` and its indented body, as an aside with that title. */
function admonition(state: StateBlock, start: number, end: number, silent: boolean) {
	if (indented(state, start)) return false;
	const match = ADMONITION.exec(lineText(state, start));
	if (!match) return false;
	if (silent) return true;
	let last = start;
	for (let line = start + 1; line < end && (blank(state, line) || indented(state, line)); line++)
		if (!blank(state, line)) last = line;
	const [oldParent, oldMax, oldIndent] = [state.parentType, state.lineMax, state.blkIndent];
	const open = state.push('admonition_open', 'aside', 1);
	open.info = match[2] ?? match[1][0].toUpperCase() + match[1].slice(1);
	open.map = [start, last + 1];
	state.parentType = 'blockquote';
	state.lineMax = last + 1;
	state.blkIndent += 4;
	state.md.block.tokenize(state, start + 1, last + 1);
	state.push('admonition_close', 'aside', -1);
	[state.parentType, state.lineMax, state.blkIndent] = [oldParent, oldMax, oldIndent];
	state.line = last + 1;
	return true;
}

/**
 * A link to another section of the document cannot open anything here: it becomes text, and a
 * bare `[?](#id)` names the section it points to.
 */
function sectionLinks(state: StateCore) {
	const env = state.env as MarkdownEnv;
	for (const block of state.tokens) {
		if (block.type !== 'inline' || !block.children) continue;
		const out: Token[] = [];
		const children = block.children;
		for (let i = 0; i < children.length; i++) {
			const token = children[i];
			const href = token.type === 'link_open' ? String(token.attrGet('href') ?? '') : '';
			if (!href.startsWith('#')) {
				out.push(token);
				continue;
			}
			const close = children.findIndex((t, j) => j > i && t.type === 'link_close');
			const inner = children.slice(i + 1, close < 0 ? children.length : close);
			i = close < 0 ? children.length : close;
			const text = inner.map((t) => t.content).join('');
			if (text.trim() && text.trim() !== '?') {
				out.push(...inner);
				continue;
			}
			const id = href.slice(1);
			const name = new state.Token('text', '', 0);
			name.content = env.sections?.[id] ?? id.replace(/[_-]+/g, ' ');
			out.push(new state.Token('em_open', 'em', 1), name, new state.Token('em_close', 'em', -1));
		}
		block.children = out;
	}
}

/** ` --- ` between words is the Model Spec's em dash (a `---` line stays a rule). */
function dashes(state: StateCore) {
	for (const block of state.tokens) {
		for (const token of block.children ?? []) {
			if (token.type === 'text') token.content = token.content.replace(/(^|\s)---(?=\s|$)/g, '$1—');
		}
	}
}

export function modelSpecPlugin(md: MarkdownIt): void {
	md.block.ruler.before('reference', 'footnote_def', footnoteDefinition, {
		alt: ['paragraph', 'reference']
	});
	md.block.ruler.before('fence', 'admonition', admonition, { alt: ['paragraph'] });
	md.inline.ruler.before('link', 'footnote_ref', footnoteReference);
	md.core.ruler.push('section_links', sectionLinks);
	md.core.ruler.push('dashes', dashes);
	md.renderer.rules.footnote_ref = (tokens, idx) =>
		`<sup class="footnote-ref"><span class="visually-hidden">note </span>${(tokens[idx].meta as { n: number }).n}</sup>`;
	md.renderer.rules.admonition_open = (tokens, idx) =>
		`<aside class="admonition"><p class="admonition-title">${md.utils.escapeHtml(tokens[idx].info)}</p>\n`;
	md.renderer.rules.admonition_close = () => '</aside>\n';
}

/** The notes that a text defines, numbered in the order it first refers to them. */
export function renderNotes(md: MarkdownIt, env: MarkdownEnv): string {
	const notes = env.footnotes;
	if (!notes?.defs.size) return '';
	const labels = [
		...notes.order,
		...[...notes.defs.keys()].filter((l) => !notes.order.includes(l))
	];
	const items = labels.map(
		(label) => `<li>${md.renderInline(notes.defs.get(label)!, { sections: env.sections })}</li>`
	);
	return `<section class="footnotes" aria-label="Notes"><p class="footnotes-title">Notes</p><ol>${items.join('')}</ol></section>\n`;
}
