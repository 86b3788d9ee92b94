import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderMarkdownInline } from './markdown';

describe('renderMarkdown', () => {
	it('escapes raw HTML and event handlers', () => {
		const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror="alert(2)">');
		expect(html).not.toContain('<script');
		expect(html).not.toContain('<img');
		expect(html).toContain('&lt;script&gt;');
	});

	it('refuses javascript: links and keeps ordinary ones', () => {
		expect(renderMarkdown('[x](javascript:alert(1))')).not.toContain('href="javascript');
		const ok = renderMarkdown('[docs](https://example.org)');
		expect(ok).toContain('href="https://example.org"');
		expect(ok).toContain('rel="noopener noreferrer nofollow"');
	});

	it('renders ordinary markdown', () => {
		expect(renderMarkdown('**bold**\n\n- a\n- b')).toContain('<strong>bold</strong>');
	});
});

describe('the Model Spec extensions', () => {
	it('numbers defined footnotes, lists them as Notes and drops references to missing ones', () => {
		const html = renderMarkdown(
			'Follow the spec[^a] and the rest[^missing].\n\n[^a]: The **first** note,\n    continued.'
		);
		expect(html).toContain('spec<sup class="footnote-ref">');
		expect(html).not.toContain('[^');
		expect(html).toMatch(
			/<p class="footnotes-title">Notes<\/p><ol><li>The <strong>first<\/strong> note, continued\.<\/li><\/ol>/
		);
		expect(renderMarkdown('Plain[^x] text.')).toBe('<p>Plain text.</p>\n');
	});

	it('leaves footnote markers in code alone', () => {
		expect(renderMarkdown('`a[^b]`')).toContain('<code>a[^b]</code>');
	});

	it('turns --- between words into a dash and a --- line into a rule', () => {
		const html = renderMarkdown('one --- two\n\n---\n\nthree');
		expect(html).toContain('one — two');
		expect(html).toContain('<hr>');
		expect(html).not.toContain('---');
	});

	it('names the section a [?](#id) link points to, as text rather than a link', () => {
		const html = renderMarkdown('(see [?](#seek_truth)) and [scope](#scope_of_autonomy)', {
			sections: { seek_truth: 'Seek the truth together' }
		});
		expect(html).toContain('(see <em>Seek the truth together</em>) and scope');
		expect(html).not.toContain('<a');
		expect(renderMarkdown('[?](#letter_and_spirit)')).toContain('<em>letter and spirit</em>');
	});

	it('opens only links to other sites in a new tab', () => {
		expect(renderMarkdown('[site](https://example.org)')).toContain('target="_blank"');
		expect(renderMarkdown('[here](#top)')).not.toContain('target');
	});

	it('renders an admonition as an aside with its title, not as a code block', () => {
		const html = renderMarkdown('!!! meta "Commentary"\n    Why *this* rule.\n\nAfter.');
		expect(html).toContain('<aside class="admonition"><p class="admonition-title">Commentary</p>');
		expect(html).toContain('<em>this</em>');
		expect(html).not.toContain('<pre>');
		expect(html).toContain('<p>After.</p>');
	});

	it('keeps raw HTML escaped inside notes and admonition titles', () => {
		const html = renderMarkdown('x[^n]\n\n[^n]: <b>no</b>\n\n!!! note "<i>t</i>"\n    body');
		expect(html).not.toMatch(/<b>|<i>/);
		expect(html).toContain('&lt;b&gt;');
	});

	it('renders one line inline, with the same rules', () => {
		expect(renderMarkdownInline('One *line*[^x] --- see [?](#a_b).')).toBe(
			'One <em>line</em> — see <em>a b</em>.'
		);
	});
});
