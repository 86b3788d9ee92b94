import { and, eq } from 'drizzle-orm';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editTrait } from '../../src/lib/server/catalog';
import { items, reviewResponses, reviews, traits } from '../../src/lib/server/db/schema';
import { SAMPLES_DIR } from '../../src/lib/server/demo';
import { chromiumPath, hydrated, launchBrowser, logInAs } from '../support/browser';
import { makeUser } from '../support/factories';
import { fixturePath } from '../support/fixtures';
import { startServer, type TestServer } from '../support/server';
import {
	importOpenBatch,
	itemIdOf,
	nativeFile,
	researcherOn as researcher,
	startReviewing as start
} from './review-helpers';

let server: TestServer;
let browser: Browser;

const logIn = (username: string) => logInAs(browser, server.url, username);
const importBatch = (file: string, name: string, settings: Record<string, unknown>) =>
	importOpenBatch(server, file, name, settings);
const researcherOn = (batchId: number, username: string, admin: number) =>
	researcher(server, batchId, username, admin);
const startReviewing = (page: Page, batchId: number) => start(page, server.url, batchId);

/** The paths (and queries) the page POSTs to from now on: what the review benchmark sends. */
function postsOf(page: Page): string[] {
	const posts: string[] = [];
	page.on('request', (request) => {
		if (request.method() !== 'POST') return;
		const url = new URL(request.url());
		posts.push(url.pathname + url.search);
	});
	return posts;
}

describe.skipIf(!chromiumPath)('reviewing in a real browser', () => {
	let specBatch: number;
	let adminId: number;

	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
		adminId = (await makeUser(server.db, { role: 'admin' })).id;
		specBatch = (
			await importBatch(join(SAMPLES_DIR, 'model-spec', 'model_spec.md'), 'Spec', { overlap: 2 })
		).batchId;
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('reviews three Model Spec items with the keyboard alone', async () => {
		const user = await researcherOn(specBatch, 'kim', adminId);
		const page = await logIn('kim');
		const posts = postsOf(page);
		await startReviewing(page, specBatch);
		const submitted: number[] = [];
		for (let n = 0; n < 3; n++) {
			const itemId = itemIdOf(page);
			submitted.push(itemId);
			const count = await page.getByRole('article').count();
			// Score each response: 6 for the first, lower for the rest; each score moves on.
			for (let i = 0; i < count; i++) await page.keyboard.press(String(Math.max(1, 6 - i * 2)));
			// Comment on the first response: Tab into its comment box and type.
			await page.getByLabel('Comment on response A').focus();
			await page.keyboard.type(`Clear and kind, item ${n + 1}.`);
			if (count > 1) {
				// Overturn the scores in the ranking: B up above A, then confirm that order.
				await page.getByRole('button', { name: 'Move response B up' }).focus();
				await page.keyboard.press('Enter');
				await page.keyboard.press('Control+Enter');
				await expect.poll(() => orderAlert(page).count()).toBe(1);
				if (n === 0) {
					// The confirmation can be backed out of, and asked for again.
					await page.getByRole('button', { name: 'Cancel', exact: true }).click();
					await expect.poll(() => orderAlert(page).count()).toBe(0);
					await page.keyboard.press('Control+Enter');
					await expect.poll(() => orderAlert(page).count()).toBe(1);
				}
			}
			await page.keyboard.press('Control+Enter');
			await page.waitForURL((url) => !url.pathname.endsWith(`/items/${itemId}`));

			const review = server.db
				.select()
				.from(reviews)
				.where(and(eq(reviews.itemId, itemId), eq(reviews.userId, user.id)))
				.get()!;
			expect(review.status).toBe('submitted');
			const rows = server.db
				.select()
				.from(reviewResponses)
				.where(eq(reviewResponses.reviewId, review.id))
				.all();
			expect(rows.every((r) => r.score !== null && r.rank !== null)).toBe(true);
			expect(rows.some((r) => r.comment === `Clear and kind, item ${n + 1}.`)).toBe(true);
			if (count > 1) {
				const byShown = review.shownOrder.map((id) => rows.find((r) => r.responseId === id)!);
				expect(byShown[1].rank).toBe(1);
			}
		}
		// The enhanced page posts to the review steps' JSON endpoints, not to the form actions.
		expect(posts).toContain(`/review/${specBatch}/next`);
		for (const itemId of submitted) {
			expect(posts).toContain(`/review/${specBatch}/items/${itemId}/submit`);
		}
		expect(posts.filter((path) => path.includes('?/'))).toEqual([]);
	});

	it('restores a draft after a reload', async () => {
		await researcherOn(specBatch, 'lou', adminId);
		const page = await logIn('lou');
		const posts = postsOf(page);
		await startReviewing(page, specBatch);
		const itemId = itemIdOf(page);
		await page.keyboard.press('4');
		await page.getByLabel('Overall comment').fill('half way through');
		await page.getByText(/Draft saved at/).waitFor();
		expect(posts).toContain(`/review/${specBatch}/items/${itemId}/save`);
		await page.reload();
		await hydrated(page);
		expect(itemIdOf(page)).toBe(itemId);
		const first = page.getByRole('article').first();
		expect(await first.getByRole('radio', { name: /^4/ }).isChecked()).toBe(true);
		expect(await page.getByLabel('Overall comment').inputValue()).toBe('half way through');
	});

	it('reopens a submitted review from My reviews and changes it', async () => {
		const page = await logIn('kim');
		await page
			.getByRole('navigation', { name: 'Main' })
			.getByRole('link', { name: 'My reviews' })
			.click();
		await page
			.getByRole('link', { name: /Open and change/ })
			.first()
			.click();
		await page.getByText('You are changing a submitted review').waitFor();
		await page.getByLabel('Overall comment').fill('On reflection, B is better.');
		await page.getByRole('button', { name: /Save changes/ }).click();
		await page.waitForURL(/\/reviews\?updated=1/);
		const changed = server.db
			.select()
			.from(reviews)
			.where(eq(reviews.overallComment, 'On reflection, B is better.'))
			.all();
		expect(changed).toHaveLength(1);
	});

	it('never hands two researchers working at once the same item, with overlap 1', async () => {
		const { batchId } = await importBatch(fixturePath('native.jsonl'), 'Overlap one', {
			overlap: 1
		});
		await researcherOn(batchId, 'pat', adminId);
		await researcherOn(batchId, 'sam', adminId);
		const [pat, sam] = await Promise.all([logIn('pat'), logIn('sam')]);
		for (const page of [pat, sam]) await page.goto(`${server.url}/review/${batchId}`);
		await Promise.all([pat, sam].map((p) => p.getByRole('button', { name: /reviewing/ }).click()));
		await Promise.all([pat, sam].map((p) => p.waitForURL(/\/items\/\d+/)));
		await Promise.all([pat, sam].map(hydrated));
		expect(itemIdOf(pat)).not.toBe(itemIdOf(sam));
		// The third item goes to whoever asks first; the other finds the batch empty.
		for (const page of [pat, sam]) {
			const count = await page.getByRole('article').count();
			for (let i = 0; i < count; i++) await page.keyboard.press(String(7 - i));
		}
		// Capture the items first: the check below runs as the pages move on.
		const before = [pat, sam].map(itemIdOf);
		await Promise.all([pat, sam].map((p) => p.keyboard.press('Control+Enter')));
		await Promise.all(
			[pat, sam].map((p, i) => p.waitForURL((u) => !u.pathname.endsWith(`/items/${before[i]}`)))
		);
		const counts = server.db
			.select({ n: items.submittedCount })
			.from(items)
			.where(eq(items.batchId, batchId))
			.all();
		expect(counts.every((c) => c.n <= 1)).toBe(true);
		const onItems = [pat, sam].filter((p) => /\/items\//.test(p.url()));
		expect(onItems.length).toBe(1);
	});

	it('runs no script from prompts, responses, trait text or comments', async () => {
		const payload =
			'<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>[x](javascript:window.__xss=3)';
		const file = nativeFile('xss', [
			{
				id: 'xss',
				trait: 'xss_trait',
				prompt: [
					{ role: 'system', content: payload },
					{ role: 'user', content: payload }
				],
				responses: [{ content: payload }, { content: `**bold** ${payload}` }]
			}
		]);
		const { batchId, lead } = await importBatch(file, 'XSS', { overlap: 1, calibration: true });
		const trait = server.db.select().from(traits).where(eq(traits.key, 'xss_trait')).get()!;
		editTrait(server.db, lead.id, trait.id, {
			title: `Trait ${payload}`,
			description: payload,
			rubric: null
		});
		await researcherOn(batchId, 'xena', adminId);
		const page = await logIn('xena');
		const dialogs: string[] = [];
		page.on('dialog', (d) => {
			dialogs.push(d.message());
			void d.dismiss();
		});
		await startReviewing(page, batchId);
		await page.getByLabel('Comment on response A').fill(payload);
		await page.getByLabel('Overall comment').fill(payload);
		await page.keyboard.press('Control+s');
		await page.getByText(/Draft saved at/).waitFor();
		await page.reload();
		await page.getByRole('heading', { name: 'Response A', exact: true }).waitFor();
		expect(await page.getByLabel('Overall comment').inputValue()).toBe(payload);
		// The payload shows as text, and nothing it carries ran.
		expect(await page.locator('main').textContent()).toContain('<script>window.__xss=2</script>');
		expect(
			await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)
		).toBeUndefined();
		expect(await page.locator('main img, main script').count()).toBe(0);
		expect(dialogs).toEqual([]);
	});
});

/** The warning that the ranking contradicts the scores. */
function orderAlert(page: Page) {
	return page.getByRole('alert').filter({ hasText: 'above one you scored higher' });
}
