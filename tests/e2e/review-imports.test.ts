// A lead imports reviews made elsewhere from the batch's page: a bad file's problems by line,
// then the file accepted and who each reviewer became; axe in light and dark on both.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingsInBothSchemes } from '../support/axe';
import { chromiumPath, hydrated, launchBrowser, signedInPage } from '../support/browser';
import { makeUser } from '../support/factories';
import { importGeneratedBatch } from '../support/review-batches';
import { reviewLine, reviewsJsonl } from '../support/review-lines';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;
let page: Page;
let batchId: number;

const file = (text: string) => ({
	name: 'reviews.jsonl',
	mimeType: 'application/x-ndjson',
	buffer: Buffer.from(text)
});

describe.skipIf(!chromiumPath)('importing reviews in a real browser', () => {
	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
		const lead = await makeUser(server.db, { role: 'lead' });
		await makeUser(server.db, { username: 'alice' });
		({ batchId } = await importGeneratedBatch(server.db, lead.id, { items: 2, overlap: 3 }));
		page = await signedInPage(browser, server, lead.id);
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('shows a bad file’s problems by line, then imports the file and names each reviewer', async () => {
		await page.goto(`${server.url}/batches/${batchId}`);
		await hydrated(page);
		await page.getByRole('link', { name: 'Import reviews' }).click();
		await page.getByRole('heading', { name: 'Import reviews made elsewhere' }).waitFor();

		const bad = reviewLine(2, 'reviewer-2', { item_id: 'item-9' });
		await page
			.getByLabel('Reviews file (JSONL)')
			.setInputFiles(file(reviewsJsonl([reviewLine(1, 'reviewer-1'), bad])));
		await page.getByRole('button', { name: 'Import reviews' }).click();
		const problems = page.getByRole('alert').filter({ hasText: 'Nothing was imported' });
		await problems.waitFor();
		expect(await problems.textContent()).toContain('Line 2, item_id');
		const refused = await findingsInBothSchemes(page, 'refused');

		const good = reviewsJsonl([reviewLine(1, 'reviewer-1'), reviewLine(2, 'reviewer-2')]);
		await page.getByLabel('Reviews file (JSONL)').setInputFiles(file(good));
		await page.getByLabel('Reviewers who have an account here').fill('reviewer-1=alice');
		await page.getByLabel('Source (optional)').fill('Field Lab');
		await page.getByRole('button', { name: 'Import reviews' }).click();
		const done = page.getByRole('status').filter({ hasText: '2 reviews of 2 items' });
		await done.waitFor();
		expect(await done.textContent()).toMatch(/reviewer-1 →\s*alice/);
		expect(await done.textContent()).toContain('ext-field-lab-reviewer-2 (new)');
		const imported = await findingsInBothSchemes(page, 'imported');
		expect([...refused, ...imported]).toEqual([]);
	});
});
