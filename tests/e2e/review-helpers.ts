// Shared by the review page's browser tests: batches, researchers and the way in.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openBatch } from '../../src/lib/server/batches';
import { importFile } from '../../src/lib/server/imports';
import { assignResearcher } from '../../src/lib/server/reviews';
import { hydrated } from '../support/browser';
import { makeUser } from '../support/factories';
import type { TestServer } from '../support/server';
import { makeTempDir } from '../support/temp';

/** Imports a file as a new open batch (and constitution) of that name. */
export async function importOpenBatch(
	server: TestServer,
	file: string,
	name: string,
	settings: Record<string, unknown>
) {
	const lead = await makeUser(server.db, { role: 'lead' });
	const result = await importFile(server.db, file, {
		actorId: lead.id,
		batch: name,
		constitution: name,
		settings
	});
	if (!result.ok || result.kind !== 'batch') throw new Error(JSON.stringify(result));
	openBatch(server.db, lead.id, result.batchId);
	return { batchId: result.batchId, lead };
}

/** A native JSONL file of the given items, in a fresh folder. */
export function nativeFile(name: string, lines: unknown[]): string {
	const file = join(makeTempDir(`${name}-`), `${name}.jsonl`);
	writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
	return file;
}

export async function researcherOn(
	server: TestServer,
	batchId: number,
	username: string,
	adminId: number
) {
	const user = await makeUser(server.db, { role: 'researcher', username });
	assignResearcher(server.db, adminId, batchId, user.id, null);
	return user;
}

/** Keyboard only: start reviewing from the batch page. */
export async function startReviewing(page: Page, baseUrl: string, batchId: number) {
	await page.goto(`${baseUrl}/review/${batchId}`);
	await page.getByRole('button', { name: /reviewing/ }).focus();
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/items\/\d+/);
	await hydrated(page);
}

export const itemIdOf = (page: Page) => Number(page.url().split('?')[0].split('/').at(-1));
