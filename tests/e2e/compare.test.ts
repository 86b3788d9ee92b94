/**
 * A lead compares two checkpoints across batches in a real browser: chooses the batches and the
 * checkpoints with the GET form, reads the plain readings, downloads the CSV, and the page passes
 * axe in the light and the dark colour scheme.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingsInBothSchemes } from '../support/axe';
import { chromiumPath, hydrated, launchBrowser, signedInPage } from '../support/browser';
import { makeCheckpointBatches } from '../support/checkpoint-batches';
import { makeUser } from '../support/factories';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;
let batchNames: string[];
let search: string;

/** Signed in, in a context that lets axe in past the content security policy. */
function openPage(userId: number): Promise<Page> {
	const viewport = { width: 1366, height: 900 };
	return signedInPage(browser, server, userId, { acceptDownloads: true, viewport });
}

describe.skipIf(!chromiumPath)('comparing checkpoints', () => {
	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
		const { before, after } = await makeCheckpointBatches(server.db);
		batchNames = [before.name, after.name];
		search = `?batch=${before.id}&batch=${after.id}&a=ckpt-A&b=ckpt-B`;
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('reads how far a checkpoint moved per trait, downloads the figures, and passes axe', async () => {
		const lead = await makeUser(server.db, { role: 'lead' });
		const page = await openPage(lead.id);
		const errors: string[] = [];
		page.on('pageerror', (error) => errors.push(error.message));

		// From the header, as a lead finds it.
		await page.goto(server.url + '/dashboard');
		await page
			.getByRole('navigation', { name: 'Main' })
			.getByRole('link', { name: 'Compare' })
			.click();
		await page.waitForURL(/\/compare$/);
		await hydrated(page);

		await page.getByRole('checkbox', { name: new RegExp(`^${batchNames[0]}\\b`) }).check();
		await page.getByRole('checkbox', { name: new RegExp(`^${batchNames[1]}\\b`) }).check();
		await page.getByRole('button', { name: 'Compare' }).click();
		await page.waitForURL(/batch=.*batch=/);
		await page.getByLabel('Checkpoint A (before)').selectOption('ckpt-A');
		await page.getByLabel('Checkpoint B (after)').selectOption('ckpt-B');
		await page.getByRole('button', { name: 'Compare' }).click();
		await page.waitForURL(/a=ckpt-A&b=ckpt-B/);
		// The URL is the comparison: the form comes back as it was sent.
		expect(await page.getByLabel('Checkpoint B (after)').inputValue()).toBe('ckpt-B');

		const readings = page
			.getByRole('region', { name: 'ckpt-B against ckpt-A' })
			.getByRole('listitem');
		await expect.poll(() => readings.count()).toBe(3);
		expect(await readings.nth(0).innerText()).toMatch(
			/warmth: ckpt-B above ckpt-A by \d\.\d\d \[\d\.\d\d, \d\.\d\d\]\./
		);
		expect(await readings.nth(1).innerText()).toMatch(
			/humour: ckpt-B below ckpt-A by \d\.\d\d \[\d\.\d\d, \d\.\d\d\]\./
		);
		expect(await readings.nth(2).innerText()).toContain('curiosity: too few to judge');
		expect(await page.locator('canvas').count()).toBe(4);
		// Every chart drew: chart.js throws in the page when it lacks a part it needs.
		expect(errors).toEqual([]);
		const method = page.getByRole('region', { name: 'How to read these figures' });
		expect(await method.innerText()).toMatch(/prior of 1 win and 1 loss per model/);

		const found = await findingsInBothSchemes(page, '/compare');
		expect(found, found.join('\n')).toEqual([]);

		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('link', { name: 'CSV' }).click()
		]);
		expect(download.suggestedFilename()).toBe('checkpoint-comparison.csv');
		const csv = readFileSync((await download.path())!, 'utf8').split('\n');
		expect(csv[0]).toBe(
			'figure,trait,model,versus,estimate,lower,upper,items,games,wins,win_rate,reading'
		);
		expect(csv.some((line) => line.startsWith('difference,warmth,ckpt-B,ckpt-A,'))).toBe(true);
		await page.context().close();
	}, 120_000);

	it('opens from a shared URL for an admin, the header still on one line at 1366 px', async () => {
		const admin = await makeUser(server.db, { role: 'admin' });
		const page = await openPage(admin.id);
		const errors: string[] = [];
		page.on('pageerror', (error) => errors.push(error.message));
		// Opened straight from a shared URL, the page's scripts take over from the server's render.
		await page.goto(server.url + '/compare' + search);
		await hydrated(page);
		expect(await page.locator('canvas').count()).toBe(4);
		expect(errors).toEqual([]);
		const header = await page.locator('header').boundingBox();
		expect(header!.height).toBeLessThan(80);
		await page.context().close();
	});
});
