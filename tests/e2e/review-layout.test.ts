import { and, eq } from 'drizzle-orm';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { items, responses, traits, traitVersions } from '../../src/lib/server/db/schema';
import { SAMPLES_DIR } from '../../src/lib/server/demo';
import { chromiumPath, hydrated, launchBrowser, logInAs } from '../support/browser';
import { makeUser } from '../support/factories';
import { handOver } from '../support/review-batches';
import { startServer, type TestServer } from '../support/server';
import { importOpenBatch, researcherOn } from './review-helpers';

let server: TestServer;
let browser: Browser;

/** The batch's items with responses, those of the longest trait text first. */
function itemsByTraitLength(batchId: number) {
	return server.db
		.select({ id: items.id, trait: traits.key, description: traitVersions.description })
		.from(items)
		.innerJoin(traits, eq(traits.id, items.traitId))
		.innerJoin(
			traitVersions,
			and(eq(traitVersions.traitId, traits.id), eq(traitVersions.version, traits.currentVersion))
		)
		.innerJoin(responses, eq(responses.itemId, items.id))
		.where(eq(items.batchId, batchId))
		.groupBy(items.id)
		.all()
		.sort((a, b) => b.description.length - a.description.length);
}

/** How far down the page (not the window) response A's first score starts, in CSS pixels. */
async function firstScoreTop(page: Page): Promise<number> {
	const radio = page.getByRole('article', { name: 'Response A' }).getByRole('radio').first();
	const box = await radio.boundingBox();
	if (!box) throw new Error('Response A has no score control on screen');
	return box.y + (await page.evaluate(() => window.scrollY));
}

describe.skipIf(!chromiumPath)('the review page on a laptop and on a phone', () => {
	let batchId: number;
	let adminId: number;
	let longest: ReturnType<typeof itemsByTraitLength>;

	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
		adminId = (await makeUser(server.db, { role: 'admin' })).id;
		const spec = join(SAMPLES_DIR, 'model-spec', 'model_spec.md');
		batchId = (await importOpenBatch(server, spec, 'Spec', { overlap: 3 })).batchId;
		longest = itemsByTraitLength(batchId);
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('puts response A’s score on the first screen of a laptop and the second of a phone', async () => {
		const user = await researcherOn(server, batchId, 'lena', adminId);
		const page = await logInAs(browser, server.url, 'lena');
		const item = longest[0];
		expect(item.description.length).toBeGreaterThan(4000);
		handOver(server.db, user.id, item.id);
		for (const [width, height, limit] of [
			[1366, 768, 768],
			[390, 844, 2 * 844]
		]) {
			await page.setViewportSize({ width, height });
			await page.goto(`${server.url}/review/${batchId}/items/${item.id}`);
			await hydrated(page);
			expect(await firstScoreTop(page), `${width}×${height}`).toBeLessThan(limit);
		}
	});

	it('sums the trait up and keeps its full text behind a disclosure each researcher sets once', async () => {
		const user = await researcherOn(server, batchId, 'mira', adminId);
		const page = await logInAs(browser, server.url, 'mira');
		const [first, other] = [longest[0], longest.find((i) => i.trait !== longest[0].trait)!];
		handOver(server.db, user.id, first.id);
		handOver(server.db, user.id, other.id);
		await page.goto(`${server.url}/review/${batchId}/items/${first.id}`);
		await hydrated(page);

		const trait = page.getByRole('region', { name: 'Do not reveal privileged information' });
		// The summary: the description's first sentence.
		await trait
			.getByText(/^The assistant may interact with multiple parties/)
			.first()
			.waitFor();
		const disclosure = page.getByRole('button', { name: /full trait text/ });
		const fullText = page.getByRole('region', { name: 'Full trait text' });
		expect(await disclosure.getAttribute('aria-expanded')).toBe('false');
		expect(await fullText.isVisible()).toBe(false);

		await disclosure.click();
		expect(await disclosure.getAttribute('aria-expanded')).toBe('true');
		await fullText.waitFor();
		// The Model Spec's markup reads as text: no footnote markers, admonition marks or
		// links to sections that would open a new tab on nothing.
		const text = (await fullText.textContent()) ?? '';
		expect(text).toContain('Commentary');
		expect(text).toContain('within the scope of the user');
		expect(text).not.toMatch(/\[\^|!!!| --- /);
		expect(await fullText.locator('a[href^="#"]').count()).toBe(0);

		// The choice holds on the next item and after a reload.
		await page.goto(`${server.url}/review/${batchId}/items/${other.id}`);
		await hydrated(page);
		await expect.poll(() => disclosure.getAttribute('aria-expanded')).toBe('true');
		await page.reload();
		await hydrated(page);
		await expect.poll(() => disclosure.getAttribute('aria-expanded')).toBe('true');
		await disclosure.click();
		expect(await disclosure.getAttribute('aria-expanded')).toBe('false');

		// Each researcher keeps their own choice.
		expect(
			await page.evaluate(() => localStorage.getItem('trait-review:mira:full-trait-text'))
		).toBe('false');
	});
});
