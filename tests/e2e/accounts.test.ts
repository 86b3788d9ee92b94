import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, launchBrowser } from '../support/browser';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;

async function logIn(page: Page, username: string, password: string) {
	await page.goto(`${server.url}/login`);
	await page.getByLabel('Username').fill(username);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

describe.skipIf(!chromiumPath)('accounts in a real browser', () => {
	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('sets up the first admin, who creates a researcher', async () => {
		const page = await browser.newPage();
		await page.goto(server.url);
		await expect.poll(() => page.url()).toContain('/setup');
		await page.getByLabel('Username').fill('root');
		await page.getByLabel('Password', { exact: true }).fill('first admin password');
		await page.getByLabel('Confirm password').fill('first admin password');
		await page.getByRole('button', { name: 'Create admin account' }).click();
		await page.waitForURL('**/admin/users');
		await expect.poll(() => page.getByRole('heading', { name: 'Users', level: 1 }).count()).toBe(1);

		const form = page.getByRole('region', { name: 'Create a user' });
		await form.getByLabel('Username').fill('rita');
		await form.getByLabel('Display name').fill('Rita Researcher');
		await form.getByLabel('Role').selectOption('researcher');
		await form.getByLabel('Initial password').fill('rita password 1');
		await form.getByRole('button', { name: 'Create user' }).click();
		await expect
			.poll(() => page.getByRole('status').textContent())
			.toContain('Created the account rita');
		await expect.poll(() => page.getByRole('cell', { name: 'Rita Researcher' }).count()).toBe(1);

		// A duplicate username is explained next to the field.
		await form.getByLabel('Username').fill('rita');
		await form.getByLabel('Initial password').fill('another password');
		await form.getByRole('button', { name: 'Create user' }).click();
		await expect.poll(() => form.getByRole('alert').textContent()).toContain('already taken');
		await page.close();
	});

	it('lets the researcher in to their home, keeps them out of admin pages, and logs out', async () => {
		const page = await browser.newPage();
		await logIn(page, 'rita', 'rita password 1');
		await expect
			.poll(() => page.getByRole('heading', { name: 'Your review queue' }).count())
			.toBe(1);
		const nav = page.getByRole('navigation', { name: 'Main' });
		expect(await nav.getByRole('link', { name: 'Users' }).count()).toBe(0);

		const response = await page.goto(`${server.url}/admin/users`);
		expect(response?.status()).toBe(403);
		await expect
			.poll(() => page.getByRole('heading', { level: 1 }).textContent())
			.toBe('You do not have access to this page');

		await page.goto(server.url);
		await page.getByRole('button', { name: 'Log out' }).click();
		await page.waitForURL('**/login');
		await page.goto(`${server.url}/account`);
		await expect.poll(() => page.url()).toContain('/login?redirectTo=%2Faccount');
		await page.close();
	});

	it('shows the error for a wrong password and stays signed out', async () => {
		const page = await browser.newPage();
		await logIn(page, 'rita', 'not her password');
		await expect
			.poll(() => page.getByRole('alert').textContent())
			.toContain('do not match an active account');
		expect(page.url()).toContain('/login');
		const cookies = await page.context().cookies();
		expect(cookies.some((c) => c.name === 'tr_session')).toBe(false);
		await page.close();
	});
});
