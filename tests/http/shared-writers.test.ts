import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBatch } from '../../src/lib/server/batches';
import { batches, items, responses, reviews } from '../../src/lib/server/db/schema';
import { importFile } from '../../src/lib/server/imports';
import { assignResearcher } from '../../src/lib/server/reviews';
import { makeUser } from '../support/factories';
import { postAction, sessionCookieFor } from '../support/http';
import { writeNativeFile } from '../support/import-leftovers';
import { startServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';

/**
 * The server and the command line write to the same database file at once: researchers submit
 * reviews over HTTP while `npm run cli -- import` writes a few thousand items. Neither side may
 * see an error: each waits its turn.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const RESEARCHERS = 24;
const CLI_ITEMS = 5000;

let server: TestServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(() => server?.stop());

function runCli(args: string[]) {
	const child = spawn(
		process.execPath,
		['--import', 'tsx', join(root, 'scripts', 'cli.ts'), ...args],
		{ cwd: root, env: { ...process.env, DATABASE_PATH: server.dbPath } }
	);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => (stdout += d));
	child.stderr.on('data', (d) => (stderr += d));
	return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
		child.on('exit', (code) => resolve({ code, stdout, stderr }))
	);
}

describe('writers that share the database file', () => {
	it('a CLI import and researchers submitting over HTTP all succeed, none waiting long', async () => {
		const lead = await makeUser(server.db, { role: 'lead' });
		const imported = await importFile(server.db, writeNativeFile(3000, { salt: '-review' }), {
			actorId: lead.id,
			batch: 'Under review',
			settings: { overlap: 3 }
		});
		if (!imported.ok || imported.kind !== 'batch') throw new Error(JSON.stringify(imported));
		const batchId = imported.batchId;
		openBatch(server.db, lead.id, batchId);
		const researchers = [];
		for (let i = 0; i < RESEARCHERS; i++) {
			const user = await makeUser(server.db, { role: 'researcher' });
			assignResearcher(server.db, lead.id, batchId, user.id, null);
			researchers.push({ id: user.id, cookie: sessionCookieFor(server.db, user.id) });
		}
		const responseIds = (itemId: number) =>
			server.db
				.select({ id: responses.id })
				.from(responses)
				.where(eq(responses.itemId, itemId))
				.all()
				.map((r) => r.id);

		const failures: string[] = [];
		/** When each request started (epoch ms) and how long it took. */
		const stamps: [number, number][] = [];
		const acknowledged: [number, number][] = [];
		let stop = false;
		const timed = async <T>(work: () => Promise<T>) => {
			const [at, started] = [Date.now(), performance.now()];
			const value = await work();
			stamps.push([at, performance.now() - started]);
			return value;
		};
		const reviewing = researchers.map(async (r) => {
			while (!stop) {
				const claim = await timed(() =>
					postAction(server.url, `/review/${batchId}?/next`, {}, r.cookie)
				);
				if (claim.type !== 'redirect') {
					failures.push(`next: ${JSON.stringify(claim)}`);
					return;
				}
				const itemId = Number(claim.location!.split('/').at(-1));
				const ids = responseIds(itemId);
				const payload = JSON.stringify({
					scores: Object.fromEntries(ids.map((id, i) => [id, 6 - i])),
					ranks: Object.fromEntries(ids.map((id, i) => [id, i + 1])),
					timeSpentMs: 1000
				});
				const submit = await timed(() =>
					postAction(
						server.url,
						`/review/${batchId}/items/${itemId}?/submit`,
						{ payload },
						r.cookie
					)
				);
				if (submit.type !== 'redirect') {
					failures.push(`submit: ${JSON.stringify(submit)}`);
					return;
				}
				acknowledged.push([r.id, itemId]);
			}
		});

		// Researchers are at it before the import starts and until after it ends: every one of
		// them has a submit acknowledged before, and as many again after.
		const submitsSoFar = (more: number) => {
			const target = acknowledged.length + more;
			return waitFor(
				() => acknowledged.length >= target || failures.length > 0,
				() => `${target} acknowledged submits (${acknowledged.length} so far)`,
				{ timeoutMs: 60_000 }
			);
		};
		await submitsSoFar(RESEARCHERS);
		const file = writeNativeFile(CLI_ITEMS, { salt: '-cli', responses: 3 });
		const cli = await runCli(['import', file, '--batch', 'From the CLI']);
		await submitsSoFar(RESEARCHERS);
		stop = true;
		await Promise.all(reviewing);

		expect(failures).toEqual([]);
		expect(cli.stderr).not.toMatch(/locked|SQLITE_BUSY/);
		expect(cli.stdout).toContain(`Imported 5,000 items with 15,000 responses`);
		expect(cli.code).toBe(0);
		expect(server.logs()).not.toMatch(/locked|SQLITE_BUSY|\[error/);

		const made = server.db.select().from(batches).where(eq(batches.name, 'From the CLI')).get()!;
		expect(made.status).toBe('draft');
		expect(await server.db.$count(items, eq(items.batchId, made.id))).toBe(CLI_ITEMS);
		expect(acknowledged.length).toBeGreaterThan(RESEARCHERS);
		const stored = server.db
			.select({ userId: reviews.userId, itemId: reviews.itemId })
			.from(reviews)
			.where(eq(reviews.status, 'submitted'))
			.all()
			.map((r) => `${r.userId}:${r.itemId}`);
		expect(new Set(stored)).toEqual(new Set(acknowledged.map(([u, i]) => `${u}:${i}`)));
		// For the record: how long researchers waited before, and while the CLI wrote.
		const writeStart = made.createdAt.getTime();
		const figures = (keep: (at: number) => boolean) => {
			const ms = stamps
				.filter(([at]) => keep(at))
				.map(([, took]) => took)
				.sort((x, y) => x - y);
			return `${ms.length} requests, p99 ${Math.round(ms[Math.floor(ms.length * 0.99)] ?? 0)} ms, slowest ${Math.round(ms.at(-1) ?? 0)} ms`;
		};
		console.log(
			`${acknowledged.length} submits. Before the CLI wrote: ${figures((at) => at < writeStart)}; while it wrote: ${figures((at) => at >= writeStart)}`
		);
		// Nobody waited anywhere near the server's 5 s busy timeout.
		expect(Math.max(...stamps.map(([, ms]) => ms))).toBeLessThan(3000);
	}, 180_000);
});
