/**
 * Every page each role can reach, checked by axe in the light and the dark colour scheme: no
 * serious or critical violation. The database is seeded so that each page shows real content
 * (tables, badges, alerts, charts), since an empty page hides most contrast problems.
 */
import { eq } from 'drizzle-orm';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/lib/roles';
import { adjudicateItem } from '../../src/lib/server/adjudication';
import { createApiToken } from '../../src/lib/server/api-tokens';
import { items, traits } from '../../src/lib/server/db/schema';
import { exportOptionsSchema, runExport } from '../../src/lib/server/exports';
import { assignResearcher, claimNextItem } from '../../src/lib/server/reviews';
import { findingsInBothSchemes } from '../support/axe';
import { chromiumPath, hydrated, launchBrowser, signedInPage } from '../support/browser';
import { buildExportBatch } from '../support/export-fixture';
import { makeUser } from '../support/factories';
import { importGeneratedBatch } from '../support/review-batches';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;

/** A page in a context that lets axe in past the content security policy. */
function openPage(userId?: number, viewport = { width: 1366, height: 900 }): Promise<Page> {
	return signedInPage(browser, server, userId, { viewport });
}

/** Visits each path and audits it; a page that fails to load is a finding too. */
async function auditPaths(page: Page, paths: string[]): Promise<string[]> {
	const found: string[] = [];
	for (const path of paths) {
		const response = await page.goto(server.url + path);
		if (!response?.ok()) {
			found.push(`${path}: answered ${response?.status()}`);
			continue;
		}
		await hydrated(page);
		found.push(...(await findingsInBothSchemes(page, path)));
	}
	return found;
}

function expectNoFindings(found: string[]) {
	expect(found, `${found.length} accessibility findings:\n${found.join('\n')}`).toEqual([]);
}

describe.skipIf(!chromiumPath)('accessibility, light and dark', () => {
	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	// First, while the database is empty: the setup page shows only then.
	it('signed out: setup and login', async () => {
		const page = await openPage();
		const found = await auditPaths(page, ['/setup', '/login']);
		await page.context().close();
		expectNoFindings(found);
	});

	describe('signed in', () => {
		let seed: Awaited<ReturnType<typeof seedContent>>;
		beforeAll(async () => {
			seed = await seedContent();
		});

		const pathsFor = (role: Role): string[] => {
			const s = seed;
			const lead = [
				'/dashboard',
				'/batches',
				`/batches/${s.disputed}`,
				`/batches/${s.disputed}/items/${s.disputedItem}`,
				`/batches/${s.calibration}/items/${s.calibrationItem}`,
				`/batches/${s.disputed}/dashboard`,
				`/batches/${s.disputed}/adjudicate`,
				`/batches/${s.disputed}/adjudicate/${s.disputedItem}`,
				`/batches/${s.disputed}/adjudicate/${s.decidedItem}`,
				'/constitutions',
				`/constitutions/${s.constitutionId}`,
				`/constitutions/${s.constitutionId}/traits/${s.traitId}`,
				'/imports/new',
				'/exports',
				`/exports/${s.exportId}`,
				`/exports/new?batch=${s.disputed}`
			];
			const admin = [
				'/admin/users',
				`/admin/users/${s.researcher}`,
				'/admin/assignments',
				'/admin/tokens',
				'/admin/audit',
				`/batches/${s.exported}`
			];
			const everyone = ['/', '/reviews', '/account'];
			if (role === 'researcher')
				return [
					...everyone,
					`/review/${s.calibration}`,
					`/review/${s.calibration}/items/${s.claimedItem}`
				];
			return role === 'lead' ? [...everyone, ...lead] : [...everyone, ...admin];
		};

		it.each(['researcher', 'lead', 'admin'] as const)(
			'every page a %s reaches',
			async (role) => {
				const page = await openPage(seed[role]);
				const found = await auditPaths(page, pathsFor(role));
				await page.context().close();
				expectNoFindings(found);
			},
			240_000
		);

		it('after actions: a confirmation, a new token, a new user', async () => {
			const lead = await openPage(seed.lead);
			const found = await auditPaths(lead, [`/batches/${seed.disputed}`]);
			await lead.getByRole('button', { name: 'Lock batch' }).click();
			await lead.getByRole('button', { name: 'Lock anyway' }).waitFor();
			found.push(...(await findingsInBothSchemes(lead, 'lock confirmation')));
			// Cancel takes the question back without posting: the batch stays open.
			await lead.getByRole('link', { name: 'Cancel' }).click();
			await lead.getByRole('button', { name: 'Lock batch' }).waitFor();
			expect(await lead.getByRole('button', { name: 'Lock anyway' }).count()).toBe(0);
			expect(await lead.locator('h1 .badge').innerText()).toBe('open');
			await lead.context().close();

			const admin = await openPage(seed.admin);
			await auditPaths(admin, ['/admin/tokens']);
			await admin.getByLabel('Name').fill('nightly-import');
			await admin.getByRole('button', { name: 'Create token' }).click();
			await admin.getByLabel('New API token').waitFor();
			found.push(...(await findingsInBothSchemes(admin, 'new token')));

			await auditPaths(admin, ['/admin/users']);
			const create = admin.getByRole('region', { name: 'Create a user' });
			await create.getByLabel('Username').fill('newcomer');
			await create.getByLabel('Initial password').fill('a long enough password');
			await create.getByRole('button', { name: 'Create user' }).click();
			await admin.getByRole('status').filter({ hasText: 'newcomer' }).waitFor();
			found.push(...(await findingsInBothSchemes(admin, 'new user')));
			await admin.context().close();
			expectNoFindings(found);
		}, 120_000);

		it('fits the header on one line at 1366 px, and behind a Menu button on a phone', async () => {
			const wide = await openPage(seed.admin);
			await wide.goto(server.url);
			const header = await wide.locator('header').boundingBox();
			expect(header!.height).toBeLessThan(80);
			await wide.context().close();

			const phone = await openPage(seed.admin, { width: 390, height: 844 });
			await phone.goto(server.url);
			await hydrated(phone);
			const menu = phone.getByRole('button', { name: 'Menu' });
			const users = phone.getByRole('navigation', { name: 'Main' }).getByRole('link', {
				name: 'Users'
			});
			expect(await menu.getAttribute('aria-expanded')).toBe('false');
			expect(await users.isVisible()).toBe(false);
			expect((await phone.locator('header').boundingBox())!.height).toBeLessThan(80);
			await menu.click();
			expect(await menu.getAttribute('aria-expanded')).toBe('true');
			await users.click();
			await phone.waitForURL(/\/admin\/users$/);
			expect(await menu.getAttribute('aria-expanded')).toBe('false');
			await phone.context().close();
		});

		it('keeps every column of the disagreement list in view at 1366 px', async () => {
			const page = await openPage(seed.lead);
			await page.goto(`${server.url}/batches/${seed.disputed}/adjudicate`);
			const decision = await page.getByRole('columnheader', { name: 'Decision' }).boundingBox();
			const prompt = await page.getByRole('columnheader', { name: 'Prompt' }).boundingBox();
			await page.context().close();
			expect(decision!.x + decision!.width).toBeLessThanOrEqual(1366);
			expect(prompt!.width).toBeGreaterThan(300);
		});

		it('follows the system colour scheme', async () => {
			const page = await openPage(seed.lead);
			await page.goto(server.url);
			const background = async (colorScheme: 'light' | 'dark') => {
				await page.emulateMedia({ colorScheme });
				return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
			};
			const light = await background('light');
			const dark = await background('dark');
			await page.context().close();
			expect(dark).not.toBe(light);
		});
	});
});

/**
 * Content for every page: a disputed open batch (reviews, disagreements, one decision), a
 * locked and exported batch, a calibration batch with reference labels and a researcher's
 * claimed item, an API token, and the audit events all of that writes.
 */
async function seedContent() {
	const db = server.db;
	const admin = await makeUser(db, { role: 'admin', displayName: 'Ada Admin' });
	const disputed = await buildExportBatch(db);
	const exported = await buildExportBatch(db, { lock: true });
	const lead = disputed.lead;
	const researcher = disputed.reviewers[0];
	adjudicateItem(db, lead.id, disputed.batchId, disputed.itemIds.e1, {
		decision: 'order',
		order: [[disputed.responseIds.a], [disputed.responseIds.b], [disputed.responseIds.c]],
		note: 'a is the warmest'
	});
	const record = await runExport(
		db,
		lead.id,
		exportOptionsSchema.parse({ batchIds: [exported.batchId], format: 'trl' }),
		{ dir: join(dirname(server.dbPath), 'exports') }
	);
	const calibration = await importGeneratedBatch(db, lead.id, {
		items: 3,
		overlap: 2,
		calibration: true
	});
	assignResearcher(db, admin.id, calibration.batchId, researcher.id, null);
	const claimed = claimNextItem(db, researcher.id, calibration.batchId).itemId;
	if (claimed === null) throw new Error('The calibration batch handed out no item.');
	createApiToken(db, admin.id, lead.id, 'nightly-import');
	const item = db.select().from(items).where(eq(items.id, disputed.itemIds.e2)).get()!;
	const { constitutionId } = db.select().from(traits).where(eq(traits.id, item.traitId)).get()!;
	return {
		researcher: researcher.id,
		lead: lead.id,
		admin: admin.id,
		disputed: disputed.batchId,
		disputedItem: disputed.itemIds.e2,
		decidedItem: disputed.itemIds.e1,
		exported: exported.batchId,
		exportId: record.id,
		calibration: calibration.batchId,
		calibrationItem: calibration.itemIds[0],
		claimedItem: claimed,
		constitutionId,
		traitId: item.traitId
	};
}
