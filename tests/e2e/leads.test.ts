import { eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp';
import { adjudications, batches } from '../../src/lib/server/db/schema';
import { chromiumPath, hydrated, launchBrowser, logInAs } from '../support/browser';
import { buildExportBatch } from '../support/export-fixture';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;

const logIn = (username: string) => logInAs(browser, server.url, username);

/** The batch page's own links, not the site navigation's. */
const batchLink = (page: Page, name: string) =>
	page.getByRole('navigation', { name: 'This batch' }).getByRole('link', { name, exact: true });

describe.skipIf(!chromiumPath)('a lead, from dashboard to training file', () => {
	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('reads the dashboard, adjudicates, locks, previews and runs a TRL export, and downloads it', async () => {
		const fixture = await buildExportBatch(server.db);
		const page = await logIn(fixture.lead.username);

		// The dashboard: progress and agreement, reviewers under pseudonyms.
		await page.goto(`${server.url}/batches/${fixture.batchId}`);
		await batchLink(page, 'Dashboard').click();
		await page.waitForURL(/\/batches\/\d+\/dashboard$/);
		await expect
			.poll(() => page.getByRole('heading', { name: /Agreement/ }).count())
			.toBeGreaterThan(0);
		const dashboard = await page.locator('main').innerText();
		expect(dashboard).toContain('Reviewer 1');
		expect(dashboard).not.toContain(fixture.reviewers[0].username);

		// The most disputed item comes first: e2, where the reviewers split on x and y.
		await page.goto(`${server.url}/batches/${fixture.batchId}`);
		await batchLink(page, 'Disagreements').click();
		await page.waitForURL(/\/adjudicate$/);
		const firstRow = page.locator('tbody tr').first();
		await expect.poll(() => firstRow.locator('td').first().innerText()).toBe('e2');
		await firstRow.getByRole('link', { name: 'e2' }).click();
		await page.waitForURL(/\/adjudicate\/\d+$/);
		await hydrated(page);
		await expect.poll(() => page.getByRole('table').innerText()).toContain('Reviewer 3');
		// Put response B (y) first, with a note.
		await page.getByRole('button', { name: 'Move response B up' }).click();
		await page.getByLabel('Note (why)').fill('y is the kinder answer; reviewer 2 saw it');
		await page.getByRole('button', { name: 'Save decision' }).click();
		await page.getByText('Decision saved.').waitFor();
		const decided = server.db
			.select()
			.from(adjudications)
			.where(eq(adjudications.itemId, fixture.itemIds.e2))
			.get();
		expect(decided).toMatchObject({
			decision: 'order',
			finalOrder: [[fixture.responseIds.y], [fixture.responseIds.x]]
		});

		// Lock: e4 has two reviews of three, so the page asks first and names what is missing.
		await page.goto(`${server.url}/batches/${fixture.batchId}`);
		await hydrated(page);
		await page.getByRole('button', { name: 'Lock batch' }).click();
		await page.getByText('1 items still need 1 reviews in all').waitFor();
		await page.getByRole('button', { name: 'Lock anyway' }).click();
		await page.getByText('The batch is locked').waitFor();
		expect(
			server.db.select().from(batches).where(eq(batches.id, fixture.batchId)).get()?.status
		).toBe('locked');

		// Export: preview first, then run.
		await batchLink(page, 'Export').click();
		await page.waitForURL(/\/exports\/new/);
		await hydrated(page);
		expect(await page.getByLabel(fixture.name).isChecked()).toBe(true);
		await page.getByLabel('Format', { exact: true }).selectOption('trl');
		await page.getByRole('button', { name: 'Preview' }).click();
		await page.getByRole('heading', { name: 'Preview' }).waitFor();
		expect(await page.getByTestId('items-in').innerText()).toBe('4');
		expect(await page.getByTestId('lines').innerText()).toBe('4');
		expect(await page.locator('main').innerText()).toContain('flagged by a reviewer');
		const previewed = (await page.locator('.rows pre').allInnerTexts()).map((t) => JSON.parse(t));
		expect(previewed).toHaveLength(4);

		await page.getByRole('button', { name: 'Run export' }).click();
		await page.waitForURL(/\/exports\/\d+\?created=1$/);
		await page.getByText('Export written: 4 lines from 4 items.').waitFor();
		// The dataset card counts the batch's own items and submitted reviews (it once said 1).
		const itemCount = server.db.$client
			.prepare('SELECT count(*) FROM items WHERE batch_id = ?')
			.pluck()
			.get(fixture.batchId) as number;
		const reviewCount = server.db.$client
			.prepare(`SELECT count(*) FROM reviews WHERE batch_id = ? AND status = 'submitted'`)
			.pluck()
			.get(fixture.batchId) as number;
		expect(itemCount).toBeGreaterThan(1);
		const card = await page.getByRole('region', { name: 'Dataset card' }).innerText();
		expect(card).toMatch(
			new RegExp(
				`${fixture.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+locked\\s+${itemCount}\\s+${reviewCount}\\s`
			)
		);
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('link', { name: /^Download .*\.jsonl$/ }).click()
		]);
		const saved = join(makeTempDir('e2e-download-'), 'pairs.jsonl');
		await download.saveAs(saved);
		const lines = readFileSync(saved, 'utf8')
			.trimEnd()
			.split('\n')
			.map((line) => JSON.parse(line));
		expect(lines).toEqual(previewed);
		// The adjudicated order stands: y is chosen over x.
		const e2 = lines.find((l) => l.metadata.item_id === 'e2');
		expect(e2).toMatchObject({
			chosen: 'Cats live about 15 years.',
			rejected: "I'm so sorry. Losing a companion hurts."
		});
	}, 120_000);
});
