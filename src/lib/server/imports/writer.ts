import { eq } from 'drizzle-orm';
import type { ImportFormat } from '$lib/import-formats';
import type { ImportResult } from '$lib/import-result';
import { recordAudit } from '../audit';
import type { AppDB, DB } from '../db';
import { batches, imports, prompts } from '../db/schema';
import { isUniqueViolation } from '../db/unique-violation';
import { batchNameTaken } from './checks';
import { ensureTraits, type TraitInput } from './ensure-traits';
import { failure } from './issues';
import type { OctTrait } from './parsers/oct';
import { loadPromptLinks } from './prompt-links';
import type { BatchSettings } from './settings';
import type { ParsedItem } from './types';

/** Everything the write phase needs to know about the file and where it goes. */
export type WriteContext = {
	db: AppDB;
	sha: string;
	fileName: string;
	format: ImportFormat;
	actorId: number | null;
	constitutionName: string;
	batchName: string;
	settings: BatchSettings;
};

/** The id an item is known by: its own, else its line, so that every item has one. */
export function itemExternalId(item: ParsedItem): string {
	return item.externalId ?? `line-${item.line}`;
}

/**
 * Writes the constitution, its traits, the batch, its items and their responses in one
 * transaction. Items come through `produce` so that a JSONL file can be read a second time,
 * line by line, inside the transaction instead of being held in memory.
 */
export function writeBatch(
	ctx: WriteContext,
	wantedTraits: TraitInput[],
	produce: (emit: (item: ParsedItem) => void) => void,
	updateTraits = false
): ImportResult {
	const client = ctx.db.$client;
	const insertItem = client.prepare(
		`INSERT INTO items (batch_id, trait_id, trait_version_id, prompt_id, external_id, prompt, prompt_text, metadata, response_count, source_line)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	);
	const insertResponse = client.prepare(
		`INSERT INTO responses (item_id, position, external_id, model, content, ai_score, ai_rank, reference_label, reference_reason, metadata)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	);
	try {
		return ctx.db.transaction((tx) => {
			const { constitution, byKey } = ensureTraits(tx, ctx, wantedTraits, updateTraits);
			const promptLinks = loadPromptLinks(
				tx,
				[...byKey.values()].map((t) => t.traitId)
			);
			const batch = tx
				.insert(batches)
				.values({
					constitutionId: constitution.id,
					name: ctx.batchName,
					createdBy: ctx.actorId,
					...ctx.settings
				})
				.returning({ id: batches.id })
				.get();
			let itemCount = 0;
			let responseCount = 0;
			let linked = 0;
			produce((item) => {
				const trait = byKey.get(item.traitKey)!;
				const externalId = itemExternalId(item);
				const promptId = promptLinks.find(trait.traitId, externalId, item);
				if (promptId) linked += 1;
				const { lastInsertRowid } = insertItem.run(
					batch.id,
					trait.traitId,
					trait.versionId,
					promptId ?? null,
					externalId,
					JSON.stringify(item.prompt),
					item.prompt.map((t) => t.content).join('\n\n'),
					item.metadata ? JSON.stringify(item.metadata) : null,
					item.responses.length,
					item.line
				);
				item.responses.forEach((r, position) => {
					insertResponse.run(
						lastInsertRowid,
						position,
						r.externalId ?? null,
						r.model ?? null,
						r.content,
						r.aiScore ?? null,
						r.aiRank ?? null,
						r.reference?.label ?? null,
						r.reference?.reason ?? null,
						r.metadata ? JSON.stringify(r.metadata) : null
					);
				});
				itemCount += 1;
				responseCount += item.responses.length;
			});
			recordImport(
				tx,
				ctx,
				{ constitutionId: constitution.id, batchId: batch.id, itemCount, responseCount },
				{ items: itemCount, responses: responseCount }
			);
			return {
				ok: true as const,
				kind: 'batch' as const,
				format: ctx.format,
				batchId: batch.id,
				batchName: ctx.batchName,
				constitutionId: constitution.id,
				constitutionName: constitution.name,
				items: itemCount,
				responses: responseCount,
				linkedPrompts: linked
			};
		});
	} catch (e) {
		return conflictFailure(ctx, e);
	}
}

/**
 * Writes an Open Character Training constitution: its traits, and their questions as prompts
 * waiting for responses. A question a trait already has is not added twice.
 */
export function writeConstitution(ctx: WriteContext, octTraits: OctTrait[]): ImportResult {
	try {
		return ctx.db.transaction((tx) => {
			const { constitution, byKey } = ensureTraits(tx, ctx, octTraits, false);
			const insertPrompt = ctx.db.$client.prepare(
				`INSERT INTO prompts (trait_id, external_id, text) VALUES (?, ?, ?)
				 ON CONFLICT (trait_id, external_id) DO NOTHING`
			);
			let promptCount = 0;
			for (const trait of octTraits) {
				const { traitId } = byKey.get(trait.key)!;
				const known = new Set(
					tx
						.select({ text: prompts.text })
						.from(prompts)
						.where(eq(prompts.traitId, traitId))
						.all()
						.map((p) => p.text)
				);
				let n = known.size;
				for (const question of trait.questions) {
					if (known.has(question)) continue;
					known.add(question);
					n += 1;
					promptCount += insertPrompt.run(traitId, `${trait.key}-q${n}`, question).changes;
				}
			}
			recordImport(
				tx,
				ctx,
				{ constitutionId: constitution.id, itemCount: promptCount, responseCount: 0 },
				{ traits: octTraits.length, prompts: promptCount }
			);
			return {
				ok: true as const,
				kind: 'constitution' as const,
				format: ctx.format,
				constitutionId: constitution.id,
				constitutionName: constitution.name,
				traits: octTraits.length,
				prompts: promptCount
			};
		});
	} catch (e) {
		return conflictFailure(ctx, e);
	}
}

/**
 * Remembers the file (so the same file is refused next time) and audits the import, against the
 * batch it made or, for a constitution, the constitution.
 */
function recordImport(
	tx: DB,
	ctx: WriteContext,
	row: { constitutionId: number; batchId?: number; itemCount: number; responseCount: number },
	counts: Record<string, number>
): void {
	tx.insert(imports)
		.values({
			fileSha256: ctx.sha,
			fileName: ctx.fileName,
			format: ctx.format,
			...row,
			createdBy: ctx.actorId
		})
		.run();
	const target =
		row.batchId === undefined
			? { targetType: 'constitution', targetId: row.constitutionId }
			: { targetType: 'batch', targetId: row.batchId };
	recordAudit(tx, {
		actorId: ctx.actorId,
		action: `import.${target.targetType}`,
		...target,
		newValue: { file: ctx.fileName, format: ctx.format, sha256: ctx.sha, ...counts }
	});
}

/** Two imports of the same file, or of the same batch name, racing: one wins, one is told why. */
function conflictFailure(ctx: WriteContext, e: unknown): ImportResult {
	if (isUniqueViolation(e, 'imports.file_sha256')) {
		return failure(
			'already_imported',
			'This file was just imported by another request. Nothing was added.'
		);
	}
	if (isUniqueViolation(e, 'batches.name')) {
		return failure('conflict', batchNameTaken(ctx.batchName));
	}
	throw e;
}
