import { isUniqueViolation } from './db/unique-violation';
import { isValidOverlap, OVERLAP_MAX, OVERLAP_MIN } from '$lib/batch-settings';
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { recordAudit } from './audit';
import { createConstitution, createTrait, editTrait, findConstitutionByName } from './catalog';
import type { AppDB, DB } from './db';
import { batches, constitutions, imports, prompts, traits, traitVersions } from './db/schema';
import { readLinesSync } from './file-lines';
import {
	detectFormat,
	parseModelSpec,
	parseNativeLine,
	parseOct,
	parseTrlLine,
	readLines,
	type ImportFormat,
	type ImportIssue,
	type ImportLimits,
	type ParsedItem,
	type ParsedTrait
} from './importers';
import { configuredLimits } from './import-limits';

export const MAX_REPORTED_ISSUES = 100;
/** Whole-document formats (Model Spec, hand-written OCT) are parsed in memory: keep them modest. */
const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

export type BatchSettings = {
	scalePoints: number;
	overlap: number;
	blind: boolean;
	calibration: boolean;
};
export const DEFAULT_BATCH_SETTINGS: BatchSettings = {
	scalePoints: 7,
	overlap: 3,
	blind: true,
	calibration: false
};

export type ImportProgress = {
	phase: 'checking' | 'validating' | 'writing';
	bytes: number;
	totalBytes: number;
};

export type ImportOptions = {
	fileName?: string;
	format?: ImportFormat | 'auto';
	/** The constitution to import into; created when it does not exist. */
	constitution?: string;
	batch?: string;
	/** TRL files name no trait: their items go to this one. */
	traitKey?: string;
	settings?: Partial<BatchSettings>;
	limits?: Partial<ImportLimits>;
	actorId: number | null;
	onProgress?: (progress: ImportProgress) => void;
};

export type ImportSuccess =
	| {
			ok: true;
			kind: 'batch';
			format: ImportFormat;
			batchId: number;
			batchName: string;
			constitutionId: number;
			constitutionName: string;
			items: number;
			responses: number;
			linkedPrompts: number;
	  }
	| {
			ok: true;
			kind: 'constitution';
			format: ImportFormat;
			constitutionId: number;
			constitutionName: string;
			traits: number;
			prompts: number;
	  };

export type ImportFailure = {
	ok: false;
	code: 'invalid_file' | 'already_imported' | 'file_too_large' | 'unknown_format' | 'conflict';
	message: string;
	issues: ImportIssue[];
	totalIssues: number;
	existing?: { batchId: number | null; batchName: string | null; constitutionId: number };
};

export type ImportResult = ImportSuccess | ImportFailure;

function failure(
	code: ImportFailure['code'],
	message: string,
	issues: ImportIssue[] = [],
	totalIssues = issues.length
): ImportFailure {
	return { ok: false, code, message, issues: issues.slice(0, MAX_REPORTED_ISSUES), totalIssues };
}

/** Collects issues: keeps the first hundred, counts them all. */
class IssueList {
	readonly kept: ImportIssue[] = [];
	total = 0;
	add(issue: ImportIssue) {
		this.total += 1;
		if (this.kept.length < MAX_REPORTED_ISSUES) this.kept.push(issue);
	}
	addAll(list: ImportIssue[]) {
		for (const issue of list) this.add(issue);
	}
}

async function hashFile(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

async function readHead(path: string, bytes = 64 * 1024): Promise<string> {
	const file = await open(path, 'r');
	try {
		const buffer = Buffer.alloc(bytes);
		const { bytesRead } = await file.read(buffer, 0, bytes, 0);
		// A cut multi-byte character at the end only costs a replacement character here.
		return buffer.toString('utf8', 0, bytesRead);
	} finally {
		await file.close();
	}
}

function findPreviousImport(db: DB, sha: string) {
	return db
		.select({
			batchId: imports.batchId,
			batchName: batches.name,
			constitutionId: imports.constitutionId,
			constitutionName: constitutions.name
		})
		.from(imports)
		.leftJoin(batches, eq(batches.id, imports.batchId))
		.innerJoin(constitutions, eq(constitutions.id, imports.constitutionId))
		.where(eq(imports.fileSha256, sha))
		.get();
}

function stripExtension(name: string): string {
	return basename(name).replace(/\.[^.]+$/, '');
}

function defaultConstitutionName(format: ImportFormat, fileName: string): string {
	if (format === 'model-spec') return 'OpenAI Model Spec';
	if (format === 'oct') return `Open Character Training: ${stripExtension(fileName)}`;
	return stripExtension(fileName);
}

function validateSettings(settings: BatchSettings): ImportIssue[] {
	const issues: ImportIssue[] = [];
	if (
		!Number.isInteger(settings.scalePoints) ||
		settings.scalePoints < 2 ||
		settings.scalePoints > 10
	) {
		issues.push({
			line: 0,
			path: 'settings.scalePoints',
			message: 'The rating scale must have 2 to 10 points.'
		});
	}
	if (!isValidOverlap(settings.overlap)) {
		issues.push({
			line: 0,
			path: 'settings.overlap',
			message: `Reviews per item must be between ${OVERLAP_MIN} and ${OVERLAP_MAX}.`
		});
	}
	return issues;
}

/**
 * Imports one file: checks it completely first, then writes everything in one transaction,
 * or nothing at all. The file is read from disk twice rather than held in memory, so a file
 * of hundreds of megabytes costs little memory.
 */
export async function importFile(
	db: AppDB,
	path: string,
	options: ImportOptions
): Promise<ImportResult> {
	const limits = { ...configuredLimits(), ...options.limits };
	const fileName = options.fileName ?? basename(path);
	const totalBytes = statSync(path).size;
	const progress = (phase: ImportProgress['phase'], bytes: number) =>
		options.onProgress?.({ phase, bytes, totalBytes });

	if (totalBytes > limits.maxFileBytes) {
		return failure(
			'file_too_large',
			`The file is ${(totalBytes / 1048576).toFixed(1)} MB; the limit is ${(limits.maxFileBytes / 1048576).toFixed(0)} MB.`
		);
	}
	if (totalBytes === 0) return failure('invalid_file', 'The file is empty.');
	progress('checking', 0);

	const sha = await hashFile(path);
	const previous = findPreviousImport(db, sha);
	if (previous) {
		const what = previous.batchName
			? `batch "${previous.batchName}"`
			: `constitution "${previous.constitutionName}"`;
		return {
			...failure(
				'already_imported',
				`This file was already imported as ${what}. Nothing was added.`
			),
			existing: {
				batchId: previous.batchId,
				batchName: previous.batchName,
				constitutionId: previous.constitutionId
			}
		};
	}

	const format =
		options.format && options.format !== 'auto'
			? options.format
			: detectFormat(await readHead(path), fileName);
	if (!format) {
		return failure(
			'unknown_format',
			'Could not tell the format of this file. Choose it explicitly: native, trl, oct or model-spec.'
		);
	}
	const settings = { ...DEFAULT_BATCH_SETTINGS, ...options.settings };
	const settingIssues = validateSettings(settings);
	if (settingIssues.length)
		return failure('invalid_file', 'The batch settings are not valid.', settingIssues);

	const context: WriteContext = {
		db,
		sha,
		fileName,
		format,
		actorId: options.actorId,
		constitutionName: options.constitution?.trim() || defaultConstitutionName(format, fileName),
		batchName:
			options.batch?.trim() ||
			`${stripExtension(fileName)} (${new Date().toISOString().slice(0, 16).replace('T', ' ')})`,
		settings
	};

	if (
		format === 'model-spec' ||
		(format === 'oct' && !looksLikeJsonl(await readHead(path, 4096)))
	) {
		if (totalBytes > MAX_DOCUMENT_BYTES) {
			return failure(
				'file_too_large',
				`Documents of this format can be at most ${MAX_DOCUMENT_BYTES / 1048576} MB.`
			);
		}
	}
	if (format === 'model-spec') return importModelSpec(context, path, progress);
	if (format === 'oct') return importOct(context, path, limits, progress);
	return importLines(context, path, limits, options.traitKey?.trim() || 'preference', progress);
}

function looksLikeJsonl(head: string): boolean {
	return head.trimStart().startsWith('{');
}

type WriteContext = {
	db: AppDB;
	sha: string;
	fileName: string;
	format: ImportFormat;
	actorId: number | null;
	constitutionName: string;
	batchName: string;
	settings: BatchSettings;
};

// ---------------------------------------------------------------------------------------------
// JSONL formats: native and TRL, validated as a stream, then written in one pass.

async function importLines(
	ctx: WriteContext,
	path: string,
	limits: ImportLimits,
	trlTraitKey: string,
	progress: (phase: ImportProgress['phase'], bytes: number) => void
): Promise<ImportResult> {
	const issues = new IssueList();
	const seenIds = new Map<string, number>();
	const traitKeys = new Set<string>();
	let itemCount = 0;
	let bytes = 0;

	const parseLine = (text: string, line: number) =>
		ctx.format === 'trl'
			? parseTrlLine(text, line, trlTraitKey, limits)
			: parseNativeLine(text, line, limits);

	for await (const entry of readLines(createReadStream(path), limits)) {
		if ('error' in entry) {
			issues.add({ line: entry.line, path: '', message: entry.error });
			continue;
		}
		bytes += Buffer.byteLength(entry.text) + 1;
		if (entry.line % 2000 === 0) progress('validating', bytes);
		const { item, issues: lineIssues } = parseLine(entry.text, entry.line);
		issues.addAll(lineIssues);
		if (!item) continue;
		itemCount += 1;
		traitKeys.add(item.traitKey);
		const id = itemExternalId(item);
		const first = seenIds.get(id);
		if (first !== undefined) {
			issues.add({
				line: entry.line,
				path: 'id',
				message: `The id "${id}" is also used on line ${first}; ids must be unique in a file.`
			});
		} else {
			seenIds.set(id, entry.line);
		}
	}

	const existing = findConstitutionByName(ctx.db, ctx.constitutionName);
	if (existing) checkTraitsExist(ctx.db, existing.id, ctx.constitutionName, traitKeys, issues);
	if (itemCount === 0 && issues.total === 0) {
		issues.add({ line: 0, path: '', message: 'The file has no items.' });
	}
	if (findBatchName(ctx.db, ctx.batchName)) {
		issues.add({
			line: 0,
			path: 'batch',
			message: `There is already a batch named "${ctx.batchName}". Choose another name.`
		});
	}
	if (issues.total) {
		return failure('invalid_file', describeIssues(issues.total), issues.kept, issues.total);
	}

	progress('writing', 0);
	return writeBatch(
		ctx,
		[...traitKeys].map((key) => ({ key, title: key, description: '' })),
		(emit) => {
			for (const { line, text } of readLinesSync(path)) {
				if (!text.trim()) continue;
				const { item } = parseLine(text, line);
				// Validated above; a line that now fails means the file changed underneath us.
				if (!item) throw new Error(`Line ${line} changed while it was being imported.`);
				emit(item);
			}
		}
	);
}

/** Items may only name traits the constitution has and has not archived. */
function checkTraitsExist(
	db: DB,
	constitutionId: number,
	name: string,
	keys: Set<string>,
	issues: IssueList
): void {
	const rows = db
		.select({ key: traits.key, archivedAt: traits.archivedAt })
		.from(traits)
		.where(eq(traits.constitutionId, constitutionId))
		.all();
	const archived = new Set(rows.filter((t) => t.archivedAt).map((t) => t.key));
	const known = new Set(rows.map((t) => t.key));
	const list = (ks: string[]) =>
		ks
			.slice(0, 10)
			.map((k) => `"${k}"`)
			.join(', ') + (ks.length > 10 ? ` and ${ks.length - 10} more` : '');
	const missing = [...keys].filter((k) => !known.has(k));
	if (missing.length) {
		issues.add({
			line: 0,
			path: 'trait',
			message: `The constitution "${name}" has no trait ${list(missing)}. Add the traits first, or import into a new constitution.`
		});
	}
	const retired = [...keys].filter((k) => archived.has(k));
	if (retired.length) {
		issues.add({
			line: 0,
			path: 'trait',
			message: `The trait ${list(retired)} is archived, so it takes no new batches. Restore it first.`
		});
	}
}

function findBatchName(db: DB, name: string) {
	return db.select({ id: batches.id }).from(batches).where(eq(batches.name, name)).get();
}

function describeIssues(total: number): string {
	return `The file has ${total} problem${total === 1 ? '' : 's'}. Nothing was imported.`;
}

function itemExternalId(item: ParsedItem): string {
	return item.externalId ?? `line-${item.line}`;
}

function flattenPrompt(item: ParsedItem): string {
	return item.prompt.map((t) => t.content).join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// Writing: constitution, traits, batch, items and responses, all in one transaction.

type TraitInput = Pick<ParsedTrait, 'key' | 'title' | 'description' | 'authority' | 'rubric'>;

/** Finds or creates the constitution and its traits; returns key → (trait id, version id). */
function ensureTraits(tx: DB, ctx: WriteContext, wanted: TraitInput[], updateExisting: boolean) {
	const constitution =
		findConstitutionByName(tx, ctx.constitutionName) ??
		createConstitution(tx, ctx.actorId, { name: ctx.constitutionName, source: ctx.format });
	const byKey = new Map<string, { traitId: number; versionId: number }>();
	const existing = tx
		.select({ id: traits.id, key: traits.key, version: traits.currentVersion })
		.from(traits)
		.where(eq(traits.constitutionId, constitution.id))
		.all();
	const existingByKey = new Map(existing.map((t) => [t.key, t]));
	for (const input of wanted) {
		const found = existingByKey.get(input.key);
		if (!found) {
			const { trait, version } = createTrait(
				tx,
				ctx.actorId,
				constitution.id,
				{ ...input, rubric: input.rubric ?? null, authority: input.authority ?? null },
				{ audit: false }
			);
			byKey.set(input.key, { traitId: trait.id, versionId: version.id });
			continue;
		}
		if (updateExisting && ctx.actorId !== null) {
			editTrait(tx, ctx.actorId, found.id, {
				title: input.title,
				description: input.description,
				rubric: input.rubric ?? null,
				authority: input.authority ?? null
			});
		}
		byKey.set(input.key, { traitId: found.id, versionId: currentVersionId(tx, found.id) });
	}
	return { constitution, byKey };
}

function currentVersionId(tx: DB, traitId: number): number {
	const row = tx
		.select({ id: traitVersions.id })
		.from(traitVersions)
		.innerJoin(
			traits,
			and(eq(traits.id, traitVersions.traitId), eq(traits.currentVersion, traitVersions.version))
		)
		.where(eq(traits.id, traitId))
		.get();
	if (!row) throw new Error(`Trait ${traitId} has no current version.`);
	return row.id;
}

function writeBatch(
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
				const promptText = flattenPrompt(item);
				const promptId = promptLinks.find(trait.traitId, externalId, item);
				if (promptId) linked += 1;
				const { lastInsertRowid } = insertItem.run(
					batch.id,
					trait.traitId,
					trait.versionId,
					promptId ?? null,
					externalId,
					JSON.stringify(item.prompt),
					promptText,
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
			tx.insert(imports)
				.values({
					fileSha256: ctx.sha,
					fileName: ctx.fileName,
					format: ctx.format,
					constitutionId: constitution.id,
					batchId: batch.id,
					itemCount,
					responseCount,
					createdBy: ctx.actorId
				})
				.run();
			recordAudit(tx, {
				actorId: ctx.actorId,
				action: 'import.batch',
				targetType: 'batch',
				targetId: batch.id,
				newValue: {
					file: ctx.fileName,
					format: ctx.format,
					sha256: ctx.sha,
					items: itemCount,
					responses: responseCount
				}
			});
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

/** Two imports of the same file, or of the same batch name, racing: one wins, one is told why. */
function conflictFailure(ctx: WriteContext, e: unknown): ImportResult {
	if (isUniqueViolation(e, 'imports.file_sha256')) {
		return failure(
			'already_imported',
			'This file was just imported by another request. Nothing was added.'
		);
	}
	if (isUniqueViolation(e, 'batches.name')) {
		return failure(
			'conflict',
			`There is already a batch named "${ctx.batchName}". Choose another name.`
		);
	}
	throw e;
}

/** Matches imported items to prompts waiting for responses: by id, else by the prompt's text. */
function loadPromptLinks(tx: DB, traitIds: number[]) {
	const byId = new Map<string, number>();
	const byText = new Map<string, number>();
	if (traitIds.length) {
		const rows = tx
			.select({
				id: prompts.id,
				traitId: prompts.traitId,
				externalId: prompts.externalId,
				text: prompts.text
			})
			.from(prompts)
			.all()
			.filter((p) => traitIds.includes(p.traitId));
		for (const p of rows) {
			byId.set(`${p.traitId}\u0000${p.externalId}`, p.id);
			byText.set(`${p.traitId}\u0000${p.text}`, p.id);
		}
	}
	return {
		find(traitId: number, externalId: string, item: ParsedItem): number | undefined {
			if (!byId.size) return undefined;
			const viaId = byId.get(`${traitId}\u0000${externalId}`);
			if (viaId) return viaId;
			const single =
				item.prompt.length === 1 && item.prompt[0].role === 'user' ? item.prompt[0].content : null;
			return single === null ? undefined : byText.get(`${traitId}\u0000${single}`);
		}
	};
}

// ---------------------------------------------------------------------------------------------
// Model Spec: sections become traits, examples become items with reference labels.

async function importModelSpec(
	ctx: WriteContext,
	path: string,
	progress: (phase: ImportProgress['phase'], bytes: number) => void
): Promise<ImportResult> {
	const text = await readFile(path, 'utf8');
	progress('validating', 0);
	const parsed = parseModelSpec(text);
	if (parsed.issues.length) {
		return failure(
			'invalid_file',
			describeIssues(parsed.issues.length),
			parsed.issues,
			parsed.issues.length
		);
	}
	if (parsed.items.length === 0)
		return failure('invalid_file', 'The file has no **Example** blocks to review.');
	if (findBatchName(ctx.db, ctx.batchName)) {
		return failure(
			'invalid_file',
			`There is already a batch named "${ctx.batchName}". Choose another name.`
		);
	}
	const usedKeys = new Set(parsed.items.map((i) => i.traitKey));
	progress('writing', 0);
	return writeBatch(
		ctx,
		parsed.traits.filter((t) => usedKeys.has(t.key)),
		(emit) => parsed.items.forEach(emit),
		true
	);
}

// ---------------------------------------------------------------------------------------------
// Open Character Training: a constitution, its traits, and their questions as prompts.

async function importOct(
	ctx: WriteContext,
	path: string,
	limits: ImportLimits,
	progress: (phase: ImportProgress['phase'], bytes: number) => void
): Promise<ImportResult> {
	progress('validating', 0);
	const parsed = parseOct(await readFile(path, 'utf8'), limits);
	if (parsed.issues.length) {
		return failure(
			'invalid_file',
			describeIssues(parsed.issues.length),
			parsed.issues,
			parsed.issues.length
		);
	}
	if (parsed.traits.length === 0) {
		return failure(
			'invalid_file',
			'The file has no traits (is it the empty template?). Nothing was imported.'
		);
	}
	progress('writing', 0);
	try {
		return ctx.db.transaction((tx) => {
			const { constitution, byKey } = ensureTraits(tx, ctx, parsed.traits, false);
			const insertPrompt = ctx.db.$client.prepare(
				`INSERT INTO prompts (trait_id, external_id, text) VALUES (?, ?, ?)
				 ON CONFLICT (trait_id, external_id) DO NOTHING`
			);
			let promptCount = 0;
			for (const trait of parsed.traits) {
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
			tx.insert(imports)
				.values({
					fileSha256: ctx.sha,
					fileName: ctx.fileName,
					format: ctx.format,
					constitutionId: constitution.id,
					itemCount: promptCount,
					responseCount: 0,
					createdBy: ctx.actorId
				})
				.run();
			recordAudit(tx, {
				actorId: ctx.actorId,
				action: 'import.constitution',
				targetType: 'constitution',
				targetId: constitution.id,
				newValue: {
					file: ctx.fileName,
					format: ctx.format,
					sha256: ctx.sha,
					traits: parsed.traits.length,
					prompts: promptCount
				}
			});
			return {
				ok: true as const,
				kind: 'constitution' as const,
				format: ctx.format,
				constitutionId: constitution.id,
				constitutionName: constitution.name,
				traits: parsed.traits.length,
				prompts: promptCount
			};
		});
	} catch (e) {
		return conflictFailure(ctx, e);
	}
}
