/**
 * The report for scripts against the built server and from the command line: who may read it,
 * that the API answers with the same figures the report module builds (the pages' own), and that
 * the command line reports on several batches at once.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/lib/server/api-tokens';
import { buildReport, type Report } from '../../src/lib/server/report';
import { makeCheckpointBatches } from '../support/checkpoint-batches';
import { makeUser } from '../support/factories';
import { sessionCookieFor } from '../support/http';
import { buildJudgeBatch } from '../support/judge-fixture';
import { startServer, type TestServer } from '../support/server';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

let server: TestServer;
let token: { lead: string; researcher: string };
let adminId: number;
let judged: Awaited<ReturnType<typeof buildJudgeBatch>>;
let checkpoints: Awaited<ReturnType<typeof makeCheckpointBatches>>;

beforeAll(async () => {
	server = await startServer();
	const admin = await makeUser(server.db, { role: 'admin' });
	adminId = admin.id;
	judged = await buildJudgeBatch(server.db);
	checkpoints = await makeCheckpointBatches(server.db);
	const researcher = await makeUser(server.db, { role: 'researcher' });
	token = {
		lead: createApiToken(server.db, admin.id, judged.lead.id, 'report').token,
		researcher: createApiToken(server.db, admin.id, researcher.id, 'nosy').token
	};
});
afterAll(() => server?.stop());

async function getReport(id: number | string, headers: Record<string, string>) {
	const res = await fetch(`${server.url}/api/v1/batches/${id}/report`, { headers });
	return { status: res.status, body: (await res.json()) as Report & { error?: { code: string } } };
}

const bearer = (who: keyof typeof token) => ({ authorization: `Bearer ${token[who]}` });

/** The report without the moment it was made, which differs between two builds of it. */
const figures = ({ generated_at: _, ...rest }: Report) => rest;

describe('GET /api/v1/batches/:id/report', () => {
	it('answers a lead’s token with the batch’s figures, reviewers under pseudonyms', async () => {
		const { status, body } = await getReport(judged.batchId, bearer('lead'));
		expect(status).toBe(200);
		expect(Date.parse(body.generated_at)).not.toBeNaN();
		const expected = await buildReport(server.db, [judged.batchId], { showNames: false });
		expect(figures(body)).toEqual(figures(expected));
		expect(body.batches[0].judge_tau).toMatchObject({ n: { items: 40 }, status: 'judged' });
		for (const reviewer of judged.reviewers) {
			expect(JSON.stringify(body)).not.toContain(reviewer.username);
		}
	});

	it('names reviewers for an admin’s session', async () => {
		const cookie = sessionCookieFor(server.db, adminId);
		const { status, body } = await getReport(judged.batchId, { cookie });
		expect(status).toBe(200);
		expect(body.reviewer_names).toBe(true);
		expect(body.batches[0].position_bias.by_reviewer.map((r) => r.reviewer)).toEqual(
			judged.reviewers.map((r) => r.username)
		);
	});

	it('refuses a researcher (403), no credentials (401), and an unknown batch (404)', async () => {
		const researcher = await getReport(judged.batchId, bearer('researcher'));
		expect([researcher.status, researcher.body.error?.code]).toEqual([403, 'forbidden']);
		const anonymous = await getReport(judged.batchId, {});
		expect([anonymous.status, anonymous.body.error?.code]).toEqual([401, 'unauthorized']);
		for (const id of [999_999, 'abc']) {
			const missing = await getReport(id, bearer('lead'));
			expect([missing.status, missing.body.error?.code]).toEqual([404, 'not_found']);
		}
	});
});

async function cli(args: string[]) {
	const child = run(
		process.execPath,
		['--import', 'tsx', join(root, 'scripts', 'cli.ts'), ...args],
		{
			cwd: root,
			env: { ...process.env, DATABASE_PATH: server.dbPath }
		}
	);
	try {
		return { code: 0, ...(await child) };
	} catch (e) {
		return e as { code: number; stdout: string; stderr: string };
	}
}

describe('npm run cli -- report', () => {
	it('reports on several batches, as JSON and as a table', { timeout: 60_000 }, async () => {
		const { before, after } = checkpoints;
		const names = ['--batch', before.name, '--batch', after.name];
		const json = await cli(['report', ...names, '--json']);
		expect(json.code, json.stderr).toBe(0);
		const report = JSON.parse(json.stdout) as Report;
		expect(report.batches.map((b) => b.id)).toEqual([before.id, after.id]);
		const expected = await buildReport(server.db, [before.id, after.id], { showNames: false });
		expect(figures(report)).toEqual(figures(expected));
		expect(report.models.traits.map((t) => t.key)).toEqual(['curiosity', 'humour', 'warmth']);

		const table = await cli(['report', ...names]);
		expect(table.code, table.stderr).toBe(0);
		expect(table.stdout).toContain(`Batch "${before.name}" (id ${before.id}, locked)`);
		expect(table.stdout).toMatch(/curiosity: ckpt-A\s+\S+.*too few to judge/);
	});

	it('says which batch does not exist, and exits with an error', async () => {
		const missing = await cli(['report', '--batch', checkpoints.before.name, '--batch', 'nope']);
		expect(missing.code).not.toBe(0);
		expect(missing.stderr).toContain('There is no batch named "nope".');
		expect(missing.stdout).toBe('');
	});
});
