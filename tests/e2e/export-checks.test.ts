/**
 * The export preview's content checks and conflicts between traits, on a batch with known
 * problems (tests/support/checks-fixture.ts): the counts and item ids show, follow the format,
 * a drop chosen in the preview changes what is written, and the dataset card records it. Both
 * new sections pass axe in the light and the dark colour scheme.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_LABELS } from '../../src/lib/export-options';
import { findingsInBothSchemes } from '../support/axe';
import { chromiumPath, hydrated, launchBrowser, signedInPage } from '../support/browser';
import { buildChecksBatch } from '../support/checks-fixture';
import { startServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';

let server: TestServer;
let browser: Browser;

/** A signed-in page in a context that lets axe in past the content security policy. */
function openPage(userId: number): Promise<Page> {
	return signedInPage(browser, server, userId);
}

const checkCount = (page: Page, key: string) =>
	page.getByTestId(`check-${key}`).getByTestId('check-count').innerText();

describe.skipIf(!chromiumPath)('content checks and conflicts in the export preview', () => {
	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('shows counts and item ids, follows the format, drops on request and records it on the card', async () => {
		const fixture = await buildChecksBatch(server.db, 'checks-e2e');
		const page = await openPage(fixture.lead.id);
		await page.goto(`${server.url}/exports/new?batch=${fixture.batchId}`);
		await hydrated(page);
		await page.getByLabel('Format', { exact: true }).selectOption('trl');
		await page.getByRole('button', { name: 'Preview' }).click();
		await page.getByRole('heading', { name: 'Content checks' }).waitFor();

		// Empty (k2) and identical (k3) drop by default; the placeholder in k1 is only reported.
		expect(await page.getByTestId('items-in').innerText()).toBe('5');
		expect(await checkCount(page, 'placeholder')).toBe('1');
		expect(await checkCount(page, 'empty')).toBe('1');
		expect(await checkCount(page, 'identical')).toBe('1');
		expect(await checkCount(page, 'roles')).toBe('0');
		const placeholder = page.getByTestId('check-placeholder');
		await placeholder.getByText('Item ids (1)').click();
		await placeholder.getByText('k1', { exact: true }).waitFor();
		expect(await page.getByTestId('pairs-checked').innerText()).toMatch(/^7 pairs checked/);

		// Conflicts: k5 (warmth) puts s1 over s2, k6 (curiosity) the other way.
		expect(await page.getByTestId('conflict-count').innerText()).toBe('1');
		const conflicts = await page.getByRole('table').innerText();
		expect(conflicts).toMatch(/k5 \(warmth\)\s+s1 over s2\s+k6 \(curiosity\)\s+s2 over s1/);
		expect(await page.locator('main').innerText()).toContain('too few to judge');

		const found = await findingsInBothSchemes(page, 'preview');
		expect(found, found.join('\n')).toEqual([]);

		// OpenAI has no tool role: the preview follows the format, and finds k4.
		await page.getByLabel('Format', { exact: true }).selectOption('openai');
		await waitFor(
			async () => (await checkCount(page, 'roles')) === '1',
			'the roles check to find the tool turn after choosing OpenAI'
		);
		const roles = page.getByTestId('check-roles');
		await roles.getByText('Item ids (1)').click();
		await roles.getByText('k4', { exact: true }).waitFor();

		// Back to TRL, and drop the placeholder pairs this time.
		await page.getByLabel('Format', { exact: true }).selectOption('trl');
		await waitFor(
			async () => (await checkCount(page, 'roles')) === '0',
			'the preview to follow the format back to TRL'
		);
		await page
			.getByRole('group', { name: CHECK_LABELS.placeholder })
			.getByLabel(/Drop these pairs/)
			.check();
		await page.getByRole('button', { name: 'Preview' }).click();
		await waitFor(
			async () => (await page.getByTestId('items-in').innerText()) === '4',
			'the preview to leave out the placeholder pair'
		);
		expect(await placeholder.innerText()).toContain('1 dropped');

		await page.getByRole('button', { name: 'Run export' }).click();
		await page.waitForURL(/\/exports\/\d+\?created=1$/);
		const card = await page.getByRole('region', { name: 'Dataset card' }).innerText();
		expect(card).toContain('Content checks');
		expect(card).toMatch(/Placeholder text in a response[^\n]*\s+1\s+drop\s+1\s+k1/);
		expect(card).toMatch(/Empty response \(whitespace only\)\s+1\s+drop\s+1\s+k2/);
		expect(card).toContain('k5 (warmth): s1 over s2; k6 (curiosity): s2 over s1');
	}, 120_000);
});
