/**
 * The batch dashboard on the demo's data (the Model Spec: 189 reviewable items over 57 traits,
 * most with a handful of items), as a lead reads it on a laptop and a phone: the summary on the
 * first screen, "too few" where a trait has too few reviews, tables that sort, long charts that
 * open on the worst rows, and a page a fraction of its old 13,600 px.
 */
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batches, items, users } from '../../src/lib/server/db/schema';
import { DEMO_MODEL_SPEC_BATCH, seedDemo } from '../../src/lib/server/demo';
import { findingsInBothSchemes } from '../support/axe';
import { chromiumPath, hydrated, launchBrowser, signedInPage } from '../support/browser';
import { reviewItems } from '../support/dashboard-reviews';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;
let dashboardPath: string;
let leadId: number;

const LAPTOP = { width: 1366, height: 768 };

/** A signed-in page that lets axe in past the content security policy. */
async function openDashboard(viewport = LAPTOP): Promise<Page> {
	const page = await signedInPage(browser, server, leadId, { viewport });
	await page.goto(server.url + dashboardPath);
	await hydrated(page);
	return page;
}

const section = (page: Page, heading: string) =>
	page.locator('section', { has: page.getByRole('heading', { name: heading, exact: true }) });

/** The trait keys of a table's rows, top to bottom. */
const traitColumn = (table: Locator) => table.locator('tbody th').allInnerTexts();

describe.skipIf(!chromiumPath)('the batch dashboard at demo size', () => {
	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
		await seedDemo(server.db);
		const userId = (username: string) =>
			server.db.select().from(users).where(eq(users.username, username)).get()!.id;
		leadId = userId('lead');
		const batch = server.db
			.select()
			.from(batches)
			.where(eq(batches.name, DEMO_MODEL_SPEC_BATCH))
			.get()!;
		dashboardPath = `/batches/${batch.id}/dashboard`;
		// As in the report that led here: rosa reviewed 6 items, against the reference labels.
		const first = server.db
			.select({ id: items.id })
			.from(items)
			.where(and(eq(items.batchId, batch.id), gt(items.responseCount, 0)))
			.orderBy(asc(items.id))
			.limit(6)
			.all()
			.map((i) => i.id);
		reviewItems(server.db, userId('rosa'), first, (r) => (r.referenceLabel === 'good' ? 2 : 6));
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('fits the summary on the first laptop screen, with n and an interval for alpha', async () => {
		const page = await openDashboard();
		const summary = page.getByRole('region', { name: 'Summary' });
		await expect.poll(() => summary.innerText()).toMatch(/95% interval: -?\d\.\d{3} to -?\d/);
		const box = (await summary.boundingBox())!;
		expect(box.y).toBeGreaterThanOrEqual(0);
		expect(box.y + box.height).toBeLessThanOrEqual(LAPTOP.height);
		const text = await summary.innerText();
		expect(text).toMatch(/n = [\d,]+ scores on [\d,]+ responses/);
		expect(text).toMatch(/Mean over n = \d+ items/);
		// No response of the Model Spec carries an AI judgement.
		expect(text).toContain('no data');
		expect(text).toMatch(/n = \d+ GOOD–BAD pairs in \d+ items/);

		// The old page was 13,600 px long at this size.
		const height = await page.evaluate(() => document.documentElement.scrollHeight);
		expect(height).toBeLessThan(6_000);
		await page.context().close();
	});

	it('marks a trait on one item too few, and does not blame the full reviewers for rosa', async () => {
		const page = await openDashboard();
		const agreement = section(page, 'Agreement');
		const alphaTable = agreement.getByRole('table', { name: /^α per trait/ });
		await agreement.getByRole('button', { name: 'Show all 57 traits' }).first().click();
		const row = alphaTable.getByRole('row', { name: /avoid_being_condescending/ });
		await expect.poll(() => row.innerText()).toContain('too few');
		expect(await alphaTable.locator('caption').innerText()).toContain('too few to judge');

		// Streamed in once the pass that counts each reviewer's overlap is done.
		const leftOut = agreement.getByRole('table', { name: /ordinal α of everyone else/ });
		await expect.poll(() => leftOut.locator('tbody tr').count()).toBe(3);
		const rows = await leftOut.locator('tbody tr').allInnerTexts();
		for (const r of rows) {
			expect(r).toContain('too few');
			expect(r).not.toContain('stands out');
		}
		await page.context().close();
	});

	it('sorts a table by the header pressed, and says so with aria-sort', async () => {
		const page = await openDashboard();
		const table = section(page, 'Agreement').getByRole('table', { name: /^α per trait/ });
		const header = table.getByRole('columnheader', { name: /n responses/ });
		expect(await header.getAttribute('aria-sort')).toBeNull();
		const before = await traitColumn(table);

		await header.getByRole('button').click();
		await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
		await header.getByRole('button').click();
		await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
		const after = await traitColumn(table);
		expect(after).not.toEqual(before);
		const units = await table.locator('tbody tr td:nth-of-type(3)').allInnerTexts();
		const counts = units.map((u) => Number(u.replace(/,/g, '')));
		expect(counts).toEqual([...counts].sort((a, b) => b - a));
		// The status column no longer claims the sort.
		expect(
			await table.getByRole('columnheader', { name: /Status/ }).getAttribute('aria-sort')
		).toBeNull();
		await page.context().close();
	});

	it('opens a long chart on its 15 worst traits and shows all on request', async () => {
		const page = await openDashboard();
		const progress = section(page, 'Progress');
		const numbers = progress.locator('figure').first().locator('tbody tr');
		expect(await numbers.count()).toBe(15);
		const show = progress.getByRole('button', { name: 'Show all 57 traits' });
		expect(await show.getAttribute('aria-expanded')).toBe('false');
		await show.click();
		await expect.poll(() => numbers.count()).toBe(57);
		const fewer = progress.getByRole('button', { name: 'Show the first 15' });
		expect(await fewer.getAttribute('aria-expanded')).toBe('true');
		await page.context().close();
	});

	it('keeps to the width of a phone', async () => {
		const page = await openDashboard({ width: 390, height: 844 });
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflow).toBeLessThanOrEqual(0);
		await page.context().close();
	});

	it('has no serious accessibility finding, light or dark', async () => {
		const page = await openDashboard();
		await expect
			.poll(() => page.getByRole('region', { name: 'Summary' }).innerText())
			.not.toContain('computing');
		const found = await findingsInBothSchemes(page, 'dashboard');
		expect(found, found.join('\n')).toEqual([]);
		await page.context().close();
	});
});
