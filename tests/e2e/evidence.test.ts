// Evidence spans in a real browser: a researcher selects a passage of the raw text by keyboard,
// tags it, submits, and the lead finds it on the item page; axe checks both pages, light and dark.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceSpans } from '../../src/lib/server/db/schema';
import { findingsInBothSchemes } from '../support/axe';
import { chromiumPath, hydrated, launchBrowser, signedInPage } from '../support/browser';
import { makeUser } from '../support/factories';
import { startServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { importOpenBatch, itemIdOf, nativeFile, researcherOn } from './review-helpers';

let server: TestServer;
let browser: Browser;

const KIND = 'I am sorry it went that way. Want to go over what tripped you up?';
const CURT = 'Practice more.';

function pageAs(userId: number): Promise<Page> {
	return signedInPage(browser, server, userId, { viewport: { width: 1280, height: 900 } });
}

describe.skipIf(!chromiumPath)('evidence spans', () => {
	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('are marked by keyboard, submitted, and shown to the lead', async () => {
		const admin = await makeUser(server.db, { role: 'admin' });
		const file = nativeFile('evidence', [
			{
				id: 'ev1',
				trait: 'warmth',
				prompt: 'I failed my driving test.',
				responses: [{ content: KIND }, { content: CURT }]
			}
		]);
		const { batchId, lead } = await importOpenBatch(server, file, 'Evidence', { overlap: 1 });
		const researcher = await researcherOn(server, batchId, 'eve', admin.id);
		const page = await pageAs(researcher.id);
		await page.goto(`${server.url}/review/${batchId}`);
		await page.getByRole('button', { name: /reviewing/ }).click();
		await page.waitForURL(/\/items\/\d+/);
		await hydrated(page);
		const itemId = itemIdOf(page);

		// The kind response's card, whichever letter the shuffle gave it.
		const card = page.getByRole('article').filter({ hasText: 'tripped you up' });
		const letter = (await card.getByRole('heading', { level: 3 }).innerText()).slice(-1);
		await card.getByRole('button', { name: 'Mark evidence' }).click();
		const raw = page.getByLabel(`Raw text of response ${letter}`);
		await expect(raw.inputValue()).resolves.toBe(KIND);
		// Keyboard selection of the first 27 characters: "I am sorry it went that way".
		await raw.focus();
		await page.keyboard.press('Control+Home');
		// Typing changes nothing: the text stays the raw response.
		await page.keyboard.type('x');
		expect(await raw.inputValue()).toBe(KIND);
		await page.keyboard.press('Control+Home');
		for (let i = 0; i < 27; i++) await page.keyboard.press('Shift+ArrowRight');
		await waitFor(
			async () => (await card.getByText('Selected characters 1–27').count()) === 1,
			'the selection to be read'
		);
		await page.keyboard.press('Tab');
		await page.keyboard.type('acknowledges the feeling');
		await page.keyboard.press('Tab');
		await page.keyboard.press('Enter'); // Mark as evidence for
		const list = card.getByRole('list', { name: `Evidence marked in response ${letter}` });
		await waitFor(
			async () => (await list.getByText('I am sorry it went that way').count()) === 1,
			'the span in the list'
		);
		expect(await list.innerText()).toContain('For the trait');
		expect(await findingsInBothSchemes(page, 'review page with evidence')).toEqual([]);

		// Score both responses from the keyboard, then submit.
		await page.getByRole('article').first().focus();
		const kindFirst = letter === 'A';
		await page.keyboard.press(kindFirst ? '6' : '2');
		await page.keyboard.press(kindFirst ? '2' : '6');
		await page.keyboard.press('Control+Enter');
		await page.waitForURL(/\/review\/\d+(\?|$)/);
		expect(server.db.select().from(evidenceSpans).all()).toMatchObject([
			{ start: 0, end: 27, stance: 'for', note: 'acknowledges the feeling' }
		]);

		const leadPage = await pageAs(lead.id);
		await leadPage.goto(`${server.url}/batches/${batchId}/items/${itemId}`);
		const evidence = leadPage.getByRole('region', { name: 'Evidence' });
		const text = await evidence.innerText();
		expect(text).toContain('1 passage marked by 1 of 1 submitted review');
		expect(text).toContain('I am sorry it went that way');
		expect(text).toContain('acknowledges the feeling');
		expect(text).toContain('Reviewer 1');
		expect(await findingsInBothSchemes(leadPage, 'lead item page')).toEqual([]);
	});
});
