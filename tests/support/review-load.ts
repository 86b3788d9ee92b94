import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../src/lib/prng';
import { openBatch } from '../../src/lib/server/batches';
import type { AppDB } from '../../src/lib/server/db';
import { importFile } from '../../src/lib/server/imports';
import { assignResearcher } from '../../src/lib/server/reviews';
import { makeUser } from './factories';
import { postAction, sessionCookieFor } from './http';
import { waitFor } from './wait';

export type Researcher = { id: number; cookie: string };

/**
 * An open batch of `items` generated items (two or three responses each), a lead, and
 * researchers assigned to it, each with a session cookie.
 */
export async function openLargeBatch(
	db: AppDB,
	options: { items: number; researchers: number; overlap: number }
) {
	const lead = await makeUser(db, { role: 'lead' });
	const lines = Array.from({ length: options.items }, (_, i) =>
		JSON.stringify({
			id: `item-${i + 1}`,
			trait: 'warmth',
			prompt: `Question ${i + 1} (lead ${lead.id}): how was your day?`,
			responses: Array.from({ length: 2 + (i % 2) }, (_, r) => ({
				content: `Answer ${r + 1} to question ${i + 1}.`
			}))
		})
	);
	const file = join(mkdtempSync(join(tmpdir(), 'large-batch-')), 'batch.jsonl');
	writeFileSync(file, lines.join('\n') + '\n');
	const result = await importFile(db, file, {
		actorId: lead.id,
		batch: `large-${lead.id}`,
		constitution: `large-${lead.id}`,
		settings: { overlap: options.overlap }
	});
	if (!result.ok || result.kind !== 'batch') {
		throw new Error(`The generated batch did not import: ${JSON.stringify(result)}`);
	}
	openBatch(db, lead.id, result.batchId);
	const researchers: Researcher[] = [];
	for (let i = 0; i < options.researchers; i++) {
		const user = await makeUser(db, { role: 'researcher' });
		assignResearcher(db, lead.id, result.batchId, user.id, null);
		researchers.push({ id: user.id, cookie: sessionCookieFor(db, user.id) });
	}
	return { lead, batchId: result.batchId, researchers };
}

/** A submit the server acknowledged, and when the test received the answer (Date.now()). */
export type Acknowledged = { userId: number; itemId: number; at: number };

/**
 * Researchers looping claim → save draft → submit through the review page's form actions, as
 * the browser posts them, against whatever server `url()` names at the time. A request that
 * fails (the server was killed) is not counted; the researcher waits until `resume()` and
 * starts again from a claim.
 */
export class ReviewLoad {
	readonly acknowledged: Acknowledged[] = [];
	failed = 0;
	private stopped = false;
	private gate: Promise<void> = Promise.resolve();
	private openGate = () => {};
	private readonly loops: Promise<void>[];
	private readonly responseIds = new Map<number, number[]>();

	constructor(
		private readonly db: AppDB,
		private readonly url: () => string,
		private readonly batchId: number,
		researchers: Researcher[],
		seed = 1
	) {
		const random = mulberry32(seed);
		this.loops = researchers.map((r) => this.loop(r, random));
	}

	/** Requests already sent go on; the next ones wait for resume(). */
	pause(): void {
		this.gate = new Promise((resolve) => (this.openGate = resolve));
	}

	resume(): void {
		this.openGate();
	}

	/** Waits until `n` more submits are acknowledged than now, or fails after `ms`. */
	async waitForMore(n: number, ms = 30_000): Promise<void> {
		const target = this.acknowledged.length + n;
		await waitFor(
			() => this.acknowledged.length >= target,
			() =>
				`${target} acknowledged submits (${this.acknowledged.length} so far, ${this.failed} failed requests)`,
			{ timeoutMs: ms }
		);
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.resume();
		await Promise.all(this.loops);
	}

	private payloadFor(itemId: number, random: () => number): string {
		let ids = this.responseIds.get(itemId);
		if (!ids) {
			ids = this.db.$client
				.prepare('SELECT id FROM responses WHERE item_id = ? ORDER BY position')
				.pluck()
				.all(itemId) as number[];
			this.responseIds.set(itemId, ids);
		}
		const scores = ids.map(() => 1 + Math.floor(random() * 7));
		return JSON.stringify({
			scores: Object.fromEntries(ids.map((id, i) => [id, scores[i]])),
			ranks: Object.fromEntries(
				ids.map((id, i) => [id, 1 + scores.filter((s) => s > scores[i]).length])
			),
			timeSpentMs: 1000
		});
	}

	private async loop(researcher: Researcher, random: () => number): Promise<void> {
		const post = (path: string, fields: Record<string, string> = {}) =>
			postAction(this.url(), path, fields, researcher.cookie);
		while (!this.stopped) {
			await this.gate;
			if (this.stopped) return;
			try {
				const claim = await post(`/review/${this.batchId}?/next`);
				// Nothing left for this researcher: the batch is done for them.
				if (claim.type !== 'redirect') return;
				const itemId = Number(claim.location!.split('/').at(-1));
				const payload = this.payloadFor(itemId, random);
				await this.gate;
				const saved = await post(`/review/${this.batchId}/items/${itemId}?/save`, { payload });
				if (saved.type !== 'success') throw new Error(`save: ${JSON.stringify(saved)}`);
				await this.gate;
				const submitted = await post(`/review/${this.batchId}/items/${itemId}?/submit`, {
					payload
				});
				// A redirect is the answer to a stored submit; anything else stores nothing new.
				if (submitted.type === 'redirect') {
					this.acknowledged.push({ userId: researcher.id, itemId, at: Date.now() });
				} else this.failed += 1;
			} catch {
				// The server went away mid-request: this step counts for nothing.
				this.failed += 1;
			}
		}
	}
}
