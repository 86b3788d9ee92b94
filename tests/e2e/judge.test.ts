/**
 * The Judge and position page in a real browser: a lead finds it from the batch page, reads the
 * planted position bias, and sends an item to adjudication; axe finds nothing serious in the
 * light or the dark colour scheme; a researcher is refused.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingsInBothSchemes } from '../support/axe';
import { chromiumPath, hydrated, launchBrowser, signedInPage } from '../support/browser';
import {
	BY_QUALITY,
	buildJudgeBatch,
	FIRST_SHOWN,
	REVERSED_EVERY_FIFTH
} from '../support/judge-fixture';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;
let fixture: Awaited<ReturnType<typeof buildJudgeBatch>>;

/** A page signed in as `userId`, in a context that lets axe in past the content security policy. */
function openPage(userId: number): Promise<Page> {
	return signedInPage(browser, server, userId, { viewport: { width: 1366, height: 900 } });
}

describe.skipIf(!chromiumPath)('the Judge and position page', () => {
	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
		fixture = await buildJudgeBatch(server.db, {
			judge: FIRST_SHOWN,
			reviewers: [REVERSED_EVERY_FIFTH, BY_QUALITY]
		});
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('leads a lead from the batch page to the figures, and sends an item to adjudication', async () => {
		const page = await openPage(fixture.lead.id);
		await page.goto(`${server.url}/batches/${fixture.batchId}`);
		await page
			.getByRole('navigation', { name: 'This batch' })
			.getByRole('link', { name: 'Judge and position' })
			.click();
		await page.waitForURL(/\/judge$/);
		await hydrated(page);
		expect(await page.getByRole('heading', { name: 'Judge calibration' }).count()).toBe(1);
		const position = page.getByRole('region', { name: 'Position bias' });
		expect(await position.innerText()).toContain('The first-shown response won 40 of 40');
		const judgeRow = position.getByRole('row', { name: /AI judge/ });
		expect(await judgeRow.innerText()).toContain('favours the response shown first');

		const found = await findingsInBothSchemes(page, 'judge page');

		// The item where judge and humans disagree most comes first.
		const worst = page
			.getByRole('row')
			.filter({ has: page.getByRole('button', { name: /^Send to adjudication/ }) })
			.first();
		const externalId = await worst.getByRole('rowheader').innerText();
		// Each button names its item.
		const send = worst.getByRole('button');
		expect(await send.ariaSnapshot()).toContain(`button "Send to adjudication: ${externalId}"`);
		await send.click();
		await page.getByRole('status').filter({ hasText: 'Sent to the disagreement list' }).waitFor();
		found.push(...(await findingsInBothSchemes(page, 'after sending')));
		await page
			.getByRole('row', { name: new RegExp(`^${externalId} `) })
			.getByRole('link', { name: 'On the list' })
			.click();
		await page.waitForURL(/\/adjudicate\/\d+$/);
		await page.context().close();
		expect(found, found.join('\n')).toEqual([]);
	}, 120_000);

	it('refuses a researcher', async () => {
		const page = await openPage(fixture.reviewers[0].id);
		const response = await page.goto(`${server.url}/batches/${fixture.batchId}/judge`);
		expect(response?.status()).toBe(403);
		await page.context().close();
	});
});
