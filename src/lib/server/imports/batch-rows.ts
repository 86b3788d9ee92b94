import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { batches, imports } from '../db/schema';
import { statement } from '../db/statements';
import { ensureTraits, type TraitInput } from './ensure-traits';
import { THIS_WRITER } from './leftovers';
import { loadPromptLinks } from './prompt-links';
import type { ParsedItem } from './types';
import type { WriteContext } from './writer';

/**
 * The rows of a batch being imported, written chunk by chunk, each step inside the caller's
 * transaction: the batch starts `importing` with its import record naming this process as its
 * writer, and becomes a draft in the transaction that writes its last items.
 */
export type ImportingBatch = ReturnType<typeof startBatch>;

/** The id an item is known by: its own, else its line, so that every item has one. */
export function itemExternalId(item: ParsedItem): string {
	return item.externalId ?? `line-${item.line}`;
}

/** Finds or creates the constitution and traits, and creates the batch and its import record. */
export function startBatch(ctx: WriteContext, wantedTraits: TraitInput[], updateTraits: boolean) {
	const { db } = ctx;
	const { constitution, traitFor, traitIds, createdAt } = ensureTraits(
		db,
		ctx,
		wantedTraits,
		updateTraits
	);
	const promptLinks = loadPromptLinks(db, traitIds());
	const { id: batchId } = db
		.insert(batches)
		.values({
			constitutionId: constitution.id,
			name: ctx.batchName,
			status: 'importing',
			createdBy: ctx.actorId,
			...ctx.settings
		})
		.returning({ id: batches.id })
		.get();
	db.insert(imports)
		.values({
			...importedFile(ctx),
			constitutionId: constitution.id,
			batchId,
			// The stamp of what this import created: a failed import removes just that.
			createdAt,
			itemCount: 0,
			responseCount: 0,
			writerHost: THIS_WRITER.host,
			writerPid: THIS_WRITER.pid,
			writerStartedAt: new Date(THIS_WRITER.startedAt),
			heartbeatAt: new Date()
		})
		.run();

	const client = db.$client;
	const insertItem = client.prepare(
		`INSERT INTO items (batch_id, trait_id, trait_version_id, prompt_id, external_id, prompt, prompt_text, metadata, response_count, source_line)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	);
	const insertResponse = client.prepare(
		`INSERT INTO responses (item_id, position, external_id, model, content, ai_score, ai_rank, reference_label, reference_reason, metadata)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	);
	const counts = { items: 0, responses: 0, linked: 0 };
	const write = (item: ParsedItem): void => {
		const trait = traitFor(item.traitKey);
		const externalId = itemExternalId(item);
		const promptId = promptLinks.find(trait.traitId, externalId, item);
		if (promptId) counts.linked += 1;
		const { lastInsertRowid } = insertItem.run(
			batchId,
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
		counts.items += 1;
		counts.responses += item.responses.length;
	};
	return { batchId, constitution, counts, write };
}

/**
 * Refreshes the heartbeat at the start of each chunk, and checks the batch is still this
 * process's: if another process judged the import dead and removed it, the import stops here.
 */
export function keepClaim(ctx: WriteContext, batch: ImportingBatch): void {
	const { changes } = statement(
		ctx.db.$client,
		`UPDATE imports SET heartbeat_at = ?
		  WHERE batch_id = ? AND writer_host = ? AND writer_pid = ? AND writer_started_at = ?`
	).run(Date.now(), batch.batchId, THIS_WRITER.host, THIS_WRITER.pid, THIS_WRITER.startedAt);
	if (changes === 0) {
		throw new Error(
			`The import of batch "${ctx.batchName}" was stopped: its unfinished batch was removed.`
		);
	}
}

/** The last chunk's last step: the batch becomes a visible draft, with its counts and audit. */
export function finishBatch(ctx: WriteContext, batch: ImportingBatch) {
	const { db } = ctx;
	const { batchId, constitution, counts } = batch;
	db.update(batches).set({ status: 'draft' }).where(eq(batches.id, batchId)).run();
	db.update(imports)
		.set({
			itemCount: counts.items,
			responseCount: counts.responses,
			writerHost: null,
			writerPid: null,
			writerStartedAt: null,
			heartbeatAt: null
		})
		.where(eq(imports.batchId, batchId))
		.run();
	auditImport(ctx, 'batch', batchId, { items: counts.items, responses: counts.responses });
	return {
		ok: true as const,
		kind: 'batch' as const,
		format: ctx.format,
		batchId,
		batchName: ctx.batchName,
		constitutionId: constitution.id,
		constitutionName: constitution.name,
		items: counts.items,
		responses: counts.responses,
		linkedPrompts: counts.linked
	};
}

/** What an import row says of the file, and who imported it: the same file is refused next time. */
export function importedFile(ctx: WriteContext) {
	return {
		fileSha256: ctx.sha,
		fileName: ctx.fileName,
		format: ctx.format,
		createdBy: ctx.actorId
	};
}

/** Audits an import against what it made: the batch or, for a constitution, the constitution. */
export function auditImport(
	ctx: WriteContext,
	targetType: 'batch' | 'constitution',
	targetId: number,
	counts: Record<string, number>
): void {
	recordAudit(ctx.db, {
		actorId: ctx.actorId,
		action: `import.${targetType}`,
		targetType,
		targetId,
		newValue: { file: ctx.fileName, format: ctx.format, sha256: ctx.sha, ...counts }
	});
}
