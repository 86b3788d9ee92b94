import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

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
