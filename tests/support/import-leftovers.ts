import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppDB } from '../../src/lib/server/db';

/** A native JSONL file of `count` items, each with `responses` responses, in a temporary folder. */
export function writeNativeFile(
	count: number,
	options: { responses?: number; salt?: string; name?: string } = {}
): string {
	const { responses = 2, salt = '', name = 'items.jsonl' } = options;
	const lines = Array.from({ length: count }, (_, i) =>
		JSON.stringify({
			id: `item-${i}${salt}`,
			trait: 'warmth',
			prompt: `Prompt ${i}: how was your day?`,
			responses: Array.from({ length: responses }, (_, r) => ({
				model: `model-${r}`,
				content: `Answer ${r} to prompt ${i}. `.repeat(4)
			}))
		})
	);
	const path = join(mkdtempSync(join(tmpdir(), 'import-file-')), name);
	writeFileSync(path, lines.join('\n') + '\n');
	return path;
}

/** A process id that is certainly not running: a child that has already exited. */
export function deadPid(): number {
	return spawnSync(process.execPath, ['-e', '']).pid!;
}

/**
 * An `importing` batch with `items` items, its import row naming `writer`, as an import leaves
 * it while it writes, or when it dies.
 */
export function plantImportingBatch(
	db: AppDB,
	writer: { pid: number; host?: string; startedAt?: number; heartbeatAt?: number },
	options: { sha?: string; name?: string; items?: number } = {}
): number {
	const { sha = 'f'.repeat(64), items = 1200 } = options;
	const c = db.$client;
	c.prepare(`INSERT OR IGNORE INTO constitutions (name) VALUES ('Leftovers')`).run();
	const constitutionId = c
		.prepare(`SELECT id FROM constitutions WHERE name = 'Leftovers'`)
		.pluck()
		.get() as number;
	c.prepare(`INSERT OR IGNORE INTO traits (constitution_id, key) VALUES (?, 'warmth')`).run(
		constitutionId
	);
	const traitId = c
		.prepare(`SELECT id FROM traits WHERE constitution_id = ? AND key = 'warmth'`)
		.pluck()
		.get(constitutionId) as number;
	c.prepare(
		`INSERT OR IGNORE INTO trait_versions (trait_id, version, title) VALUES (?, 1, 'Warmth')`
	).run(traitId);
	const versionId = c
		.prepare(`SELECT id FROM trait_versions WHERE trait_id = ?`)
		.pluck()
		.get(traitId) as number;
	const name = options.name ?? `Leftover ${sha.slice(0, 8)}`;
	const batchId = Number(
		c
			.prepare(`INSERT INTO batches (constitution_id, name, status) VALUES (?, ?, 'importing')`)
			.run(constitutionId, name).lastInsertRowid
	);
	c.prepare(
		`INSERT INTO imports (file_sha256, file_name, format, constitution_id, batch_id, item_count,
		                      response_count, writer_host, writer_pid, writer_started_at, heartbeat_at)
		 VALUES (?, 'leftover.jsonl', 'native', ?, ?, 0, 0, ?, ?, ?, ?)`
	).run(
		sha,
		constitutionId,
		batchId,
		writer.host ?? hostname(),
		writer.pid,
		writer.startedAt ?? 1,
		writer.heartbeatAt ?? Date.now()
	);
	const insertItem = c.prepare(
		`INSERT INTO items (batch_id, trait_id, trait_version_id, external_id, prompt, prompt_text, response_count, source_line)
		 VALUES (?, ?, ?, ?, '[]', 'a prompt', 1, ?)`
	);
	const insertResponse = c.prepare(
		`INSERT INTO responses (item_id, position, content) VALUES (?, 0, 'a response')`
	);
	c.transaction(() => {
		for (let i = 0; i < items; i++) {
			const itemId = insertItem.run(batchId, traitId, versionId, `x${i}`, i + 1).lastInsertRowid;
			insertResponse.run(itemId);
		}
	})();
	return batchId;
}
