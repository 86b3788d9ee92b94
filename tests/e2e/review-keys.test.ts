import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewResponses, reviews } from '../../src/lib/server/db/schema';
import { chromiumPath, hydrated, launchBrowser, logInAs } from '../support/browser';
import { makeUser } from '../support/factories';
import { startServer, type TestServer } from '../support/server';
import {
	importOpenBatch,
	itemIdOf,
	nativeFile,
	researcherOn,
	startReviewing
} from './review-helpers';

let server: TestServer;
let browser: Browser;

/** Items of two responses, the first labelled GOOD and the second BAD. */
function pairs(name: string, count: number) {
	return nativeFile(
		name,
		Array.from({ length: count }, (_, i) => ({
			id: `${name}-${i + 1}`,
			trait: 'warmth',
			prompt: `Prompt ${i + 1}: I failed my driving test.`,
			responses: [
				{ content: `Kind answer ${i + 1}.`, reference: { label: 'good', reason: 'warm' } },
				{ content: `Curt answer ${i + 1}.`, reference: { label: 'bad', reason: 'cold' } }
			]
		}))
	);
}

const reviewOf = (itemId: number, userId: number) =>
	server.db
		.select()
		.from(reviews)
		.where(and(eq(reviews.itemId, itemId), eq(reviews.userId, userId)))
		.get();

/** Whether response A's card holds the keyboard focus, ready for its score. */
const onResponseA = (page: Page) =>
	page
		.getByRole('article', { name: 'Response A' })
		.evaluate((card) => card === document.activeElement);

describe.skipIf(!chromiumPath)('the review page by keyboard', () => {
	let adminId: number;

	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
		adminId = (await makeUser(server.db, { role: 'admin' })).id;
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('goes through a calibration item in four keys: score, score, submit, next', async () => {
		const { batchId } = await importOpenBatch(server, pairs('calib', 3), 'Calibration', {
			overlap: 1,
			calibration: true
		});
		const user = await researcherOn(server, batchId, 'cleo', adminId);
		const page = await logInAs(browser, server.url, 'cleo');
		await startReviewing(page, server.url, batchId);
		const first = itemIdOf(page);
		// Focus starts on response A, so the keys work at once.
		await expect.poll(() => onResponseA(page)).toBe(true);

		await page.keyboard.press('6');
		await page.keyboard.press('2');
		await page.keyboard.press('Control+Enter');
		await page.waitForURL(/\?submitted=1/);
		await page.getByText('Reference: GOOD').first().waitFor();
		const next = page.getByRole('button', { name: 'Next item' });
		await expect.poll(() => next.evaluate((b) => b === document.activeElement)).toBe(true);
		const submitted = reviewOf(first, user.id)!;
		expect(submitted.status).toBe('submitted');
		const scores = server.db
			.select({ score: reviewResponses.score })
			.from(reviewResponses)
			.where(eq(reviewResponses.reviewId, submitted.id))
			.all()
			.map((r) => r.score)
			.sort();
		expect(scores).toEqual([2, 6]);

		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.search && !url.pathname.endsWith(`/items/${first}`));
		await hydrated(page);
		expect(itemIdOf(page)).not.toBe(first);
		// On the next item, focus is on its first response again, ready for a score.
		await expect.poll(() => onResponseA(page)).toBe(true);
	});

	it('moves and ties responses in the ranking with u, d and t, and says so', async () => {
		const { batchId } = await importOpenBatch(server, pairs('rank', 2), 'Ranking keys', {
			overlap: 1
		});
		const user = await researcherOn(server, batchId, 'rene', adminId);
		const page = await logInAs(browser, server.url, 'rene');
		await startReviewing(page, server.url, batchId);
		const itemId = itemIdOf(page);
		const ranking = page.getByRole('list', { name: 'Ranking, best first' }).getByRole('listitem');
		const order = async () =>
			(await ranking.allTextContents()).map((t) => t.match(/Response ([A-Z])/)![1]).join('');

		await page.keyboard.press('7');
		await page.keyboard.press('3');
		expect(await order()).toBe('AB');
		// The current response is B (the last one scored): up above A.
		await page.keyboard.press('u');
		expect(await order()).toBe('BA');
		await page.getByRole('status').filter({ hasText: 'Response B: rank 1.' }).waitFor();
		await page.keyboard.press('d');
		expect(await order()).toBe('AB');
		await page.keyboard.press('Alt+ArrowUp');
		expect(await order()).toBe('BA');
		// Back to A, and tie it with B above it.
		await page.keyboard.press('k');
		await page.keyboard.press('t');
		await page
			.getByRole('status')
			.filter({ hasText: 'Response A: rank 1, tied with B.' })
			.waitFor();
		await expect.poll(() => page.getByText('Rank 1, tied', { exact: true }).count()).toBe(2);

		// A tie puts neither above the other, so the scores raise no question: straight in.
		await page.keyboard.press('Control+Enter');
		await page.waitForURL((url) => !url.pathname.endsWith(`/items/${itemId}`));
		const review = reviewOf(itemId, user.id)!;
		const ranks = server.db
			.select({ rank: reviewResponses.rank })
			.from(reviewResponses)
			.where(eq(reviewResponses.reviewId, review.id))
			.all();
		expect(ranks.map((r) => r.rank)).toEqual([1, 1]);
	});

	it('skips an item with a preset reason by keyboard, and confirms it on the next', async () => {
		const { batchId } = await importOpenBatch(server, pairs('skip', 3), 'Skips', { overlap: 1 });
		const user = await researcherOn(server, batchId, 'sid', adminId);
		const page = await logInAs(browser, server.url, 'sid');
		await startReviewing(page, server.url, batchId);
		const itemId = itemIdOf(page);

		await page.keyboard.press('s');
		const dialog = page.getByRole('dialog', { name: 'Skip this item' });
		await dialog.waitFor();
		// The first reason has the focus; the arrows choose among them, Enter skips.
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('ArrowDown');
		expect(await dialog.getByRole('radio', { name: 'Outside my expertise' }).isChecked()).toBe(
			true
		);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.endsWith(`/items/${itemId}`));
		expect(reviewOf(itemId, user.id)).toMatchObject({
			status: 'skipped',
			skipReason: 'Outside my expertise'
		});
		await page.getByRole('status').filter({ hasText: 'Skipped: Outside my expertise' }).waitFor();

		// Other needs words of its own; details go after a preset reason.
		const second = itemIdOf(page);
		await hydrated(page);
		await page.keyboard.press('s');
		await dialog.getByRole('radio', { name: 'Other' }).check();
		await page.keyboard.press('Enter');
		await dialog.getByRole('alert').filter({ hasText: 'Choose a reason' }).waitFor();
		await dialog.getByLabel('Your reason').fill('Same prompt as the last one.');
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.endsWith(`/items/${second}`));
		expect(reviewOf(second, user.id)?.skipReason).toBe('Same prompt as the last one.');
		await page.getByText('Skipped: Same prompt as the last one.').waitFor();
		// A confirmation, not a banner: a reload of the page no longer shows it.
		await page.reload();
		await hydrated(page);
		expect(await page.getByText(/Skipped:/).count()).toBe(0);
	});
});
