import MarkdownIt from 'markdown-it';

/**
 * Markdown for untrusted text (model responses, prompts, trait descriptions, comments).
 * `html: false` makes markdown-it escape any raw HTML, and its link validator already refuses
 * `javascript:`, `vbscript:` and non-image `data:` URLs; links open without a referrer.
 */
const md = new MarkdownIt({ html: false, linkify: false, breaks: true, typographer: false });

const defaultLinkOpen =
	md.renderer.rules.link_open ??
	((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
	tokens[idx].attrSet('rel', 'noopener noreferrer nofollow');
	tokens[idx].attrSet('target', '_blank');
	return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
	return md.render(source);
}
