import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { TEST_PASSWORD } from './factories';
import { sessionCookieFor } from './http';
import type { TestServer } from './server';

function findChromium(): string | null {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
	return candidates.find((path): path is string => Boolean(path && existsSync(path))) ?? null;
}

export const chromiumPath = findChromium();

if (!chromiumPath) {
	const help =
		'No Chromium found for the browser tests. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
		'or point CHROMIUM_PATH at a Chromium or Chrome binary.';
	if (process.env.CI === 'true')
		throw new Error(`${help} Under CI the browser tests are required.`);
	console.warn(`\n${'!'.repeat(100)}\n!! BROWSER TESTS SKIPPED. ${help}\n${'!'.repeat(100)}\n`);
}

/** Headless Chromium with the flags that keep it off the network (there is none here). */
export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: chromiumPath ?? undefined,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage'
		]
	});
}

/** A fresh browser context signed in as `username` (test password), on the home page. */
export async function logInAs(browser: Browser, baseUrl: string, username: string): Promise<Page> {
	const context = await browser.newContext({ acceptDownloads: true });
	const page = await context.newPage();
	await page.goto(`${baseUrl}/login`);
	await page.getByLabel('Username').fill(username);
	await page.getByLabel('Password').fill(TEST_PASSWORD);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL(`${baseUrl}/`);
	return page;
}

/**
 * A page signed in as `userId` through a session cookie made in the database (signed out when
 * undefined), in a context that lets axe in past the content security policy.
 */
export async function signedInPage(
	browser: Browser,
	server: Pick<TestServer, 'db' | 'url'>,
	userId: number | undefined,
	options: BrowserContextOptions = {}
): Promise<Page> {
	const context = await browser.newContext({ bypassCSP: true, ...options });
	if (userId !== undefined) {
		const [name, value] = sessionCookieFor(server.db, userId).split('=');
		await context.addCookies([{ name, value, url: server.url }]);
	}
	return context.newPage();
}

/** Waits for the page's scripts: keys pressed or fields filled before then would be lost. */
export async function hydrated(page: Page): Promise<void> {
	await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
}
