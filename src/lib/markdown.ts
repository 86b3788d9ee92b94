import MarkdownIt from 'markdown-it';
import { modelSpecPlugin, renderNotes, type MarkdownEnv } from './markdown-plugins';

/**
 * Markdown for untrusted text (model responses, prompts, trait descriptions, comments).
 * `html: false` makes markdown-it escape any raw HTML, and its link validator already refuses
 * `javascript:`, `vbscript:` and non-image `data:` URLs; links open without a referrer.
 */
const md = new MarkdownIt({ html: false, linkify: false, breaks: true, typographer: false });
md.use(modelSpecPlugin);

const defaultLinkOpen =
	md.renderer.rules.link_open ??
	((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
	tokens[idx].attrSet('rel', 'noopener noreferrer nofollow');
	tokens[idx].attrSet('target', '_blank');
	return defaultLinkOpen(tokens, idx, options, env, self);
};

export type MarkdownOptions = {
	/** Titles of the sections (traits) that `[?](#key)` links may name, by key. */
	sections?: Record<string, string>;
};

export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
	const env: MarkdownEnv = { sections: options.sections };
	const html = md.render(source, env);
	return html + renderNotes(md, env);
}

/** One line of markdown (no paragraphs, no notes), such as a trait's summary. */
export function renderMarkdownInline(source: string, options: MarkdownOptions = {}): string {
	return md.renderInline(source, { sections: options.sections } satisfies MarkdownEnv);
}
