// axe-core in the page under test: the accessibility rules a person would otherwise check by
// hand (contrast, names, landmarks), run against what the browser really rendered.
import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';
import type { Page } from 'playwright-core';

const axePath = createRequire(import.meta.url).resolve('axe-core');

/** The impacts that fail a test: minor and moderate findings are left to judgement. */
const FAILING = new Set(['serious', 'critical']);

declare global {
	interface Window {
		axe?: { run: (context: Document) => Promise<AxeResults> };
	}
}

/**
 * Runs axe on the page as it is now and returns its serious and critical violations. The page's
 * content security policy forbids injected scripts: its browser context needs `bypassCSP: true`.
 */
export async function seriousViolations(page: Page): Promise<Result[]> {
	if (!(await page.evaluate(() => Boolean(window.axe)))) {
		await page.addScriptTag({ path: axePath });
		if (!(await page.evaluate(() => Boolean(window.axe))))
			throw new Error('axe-core did not load: create the browser context with bypassCSP: true.');
	}
	const results = await page.evaluate(() => window.axe!.run(document));
	return results.violations.filter((v) => FAILING.has(v.impact ?? ''));
}

/** One line per rule and per element: rule id, what it wants, the element, axe's summary. */
export function describeViolations(where: string, violations: Result[]): string[] {
	return violations.flatMap((v) =>
		v.nodes.map(
			(node) =>
				`${where}: [${v.id}, ${v.impact}] ${v.help}\n    at ${node.target.join(' ')}\n    ` +
				(node.failureSummary ?? '').replace(/\n/g, '\n    ')
		)
	);
}

/**
 * axe's serious findings on the page as it stands, in the light and the dark colour scheme,
 * as readable lines; the page is left in the light scheme.
 */
export async function findingsInBothSchemes(page: Page, where: string): Promise<string[]> {
	const found: string[] = [];
	for (const colorScheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme });
		found.push(...describeViolations(`${where} (${colorScheme})`, await seriousViolations(page)));
	}
	await page.emulateMedia({ colorScheme: 'light' });
	return found;
}
