import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { batches } from '../../src/lib/server/db/schema';
import { chromiumPath, launchBrowser } from '../support/browser';
import { makeUser, TEST_PASSWORD } from '../support/factories';
import { fixturePath } from '../support/fixtures';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;
let page: Page;

const statusOf = (name: string) =>
	server.db.select().from(batches).where(eq(batches.name, name)).get()?.status;

describe.skipIf(!chromiumPath)('importing in a real browser', () => {
	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
		await makeUser(server.db, { role: 'lead', username: 'lena' });
		page = await browser.newPage();
		await page.goto(`${server.url}/login`);
		await page.getByLabel('Username').fill('lena');
		await page.getByLabel('Password').fill(TEST_PASSWORD);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL(`${server.url}/`);
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('uploads a Model Spec file and shows the batch with its items', async () => {
		await page
			.getByRole('navigation', { name: 'Main' })
			.getByRole('link', { name: 'Import' })
			.click();
		await page
			.getByLabel('File', { exact: true })
			.setInputFiles(fixturePath('model-spec-small.md'));
		await page.getByLabel('Batch name').fill('Spec sample');
		await page.getByRole('button', { name: 'Import' }).click();
		const done = page.getByRole('status').filter({ hasText: 'Imported 2 items' });
		await done.waitFor();
		await done.getByRole('link', { name: 'Spec sample' }).click();
		await expect
			.poll(() => page.getByRole('heading', { level: 1 }).textContent())
			.toContain('Spec sample');
		const rows = page.getByRole('region', { name: 'Items' }).getByRole('row');
		expect(await rows.count()).toBe(3);

		await page.getByRole('link', { name: 'be_honest-ex2' }).click();
		await expect
			.poll(() => page.getByRole('list', { name: 'Prompt' }).textContent())
			.toContain('Tell me my essay is perfect.');
		expect(await page.getByRole('article').count()).toBe(3);
		expect(await page.getByText('BAD', { exact: true }).count()).toBe(1);
	});

	it('says an imported batch is a draft, and opens it from the result', async () => {
		await page.goto(`${server.url}/imports/new`);
		await page.getByLabel('File', { exact: true }).setInputFiles(fixturePath('native.jsonl'));
		await page.getByLabel('Batch name').fill('Draft first');
		await page.getByRole('button', { name: 'Import' }).click();
		const draft = page.getByRole('region', { name: 'Not open for review yet' });
		await draft.waitFor();
		expect(await draft.textContent()).toContain('This batch is a draft');
		await draft.getByRole('button', { name: 'Open for review' }).click();
		await page.getByRole('status').filter({ hasText: 'The batch is open for review.' }).waitFor();
		await draft.waitFor({ state: 'detached' });
		expect(statusOf('Draft first')).toBe('open');
	});

	it('opens the batch at once when asked to', async () => {
		await page.goto(`${server.url}/imports/new`);
		await page.getByLabel('File', { exact: true }).setInputFiles(fixturePath('trl-standard.jsonl'));
		await page.getByLabel('Batch name').fill('Open at once');
		await page.getByLabel('Open for review when imported').check();
		await page.getByRole('button', { name: 'Import' }).click();
		const done = page.getByRole('status').filter({ hasText: 'Imported 2 items' });
		await done.waitFor();
		expect(await done.textContent()).toContain('The batch is open for review.');
		expect(await page.getByRole('region', { name: 'Not open for review yet' }).count()).toBe(0);
		expect(statusOf('Open at once')).toBe('open');
	});

	it('shows the line-numbered problems of a bad file and imports nothing', async () => {
		await page.goto(`${server.url}/imports/new`);
		await page.getByLabel('File', { exact: true }).setInputFiles(fixturePath('native-bad.jsonl'));
		await page.getByRole('button', { name: 'Import' }).click();
		const problems = page.getByRole('region', { name: 'Nothing was imported' });
		await problems.waitFor();
		const rows = problems.getByRole('row');
		expect(await rows.count()).toBeGreaterThanOrEqual(6);
		const text = await problems.textContent();
		expect(text).toContain('responses[1].content');
		expect(text).toContain('line 1');
		await page.goto(`${server.url}/batches`);
		expect(await page.getByRole('link', { name: 'native-bad' }).count()).toBe(0);
	});
});
