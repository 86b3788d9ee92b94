import { NO_WORDS, YES_WORDS } from '../forms';
import { z } from 'zod';
import { EXPORT_FORMATS } from '$lib/export-options';
import { IMPORT_FORMATS } from '$lib/import-formats';
import type { ImportFailure, ImportSuccess } from '$lib/import-result';
import { exportOptionsFields, exportOptionsSchema } from '../exports';
import type { ReviewImportSuccess } from '../review-imports';
import type { ApiIssue } from './api-error';

export type JsonSchema = { [keyword: string]: unknown };

/**
 * The JSON Schemas of the API's bodies, for the OpenAPI description's `components`. Requests
 * are derived from the zod schemas the server parses them with; responses are zod schemas
 * written here, each checked at compile time against the type the server answers with where
 * there is one, so that neither can change without the other.
 */

/** True when each type is assignable to the other: the check that a schema matches its type. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const count = z.int().min(0);
const id = z.int().positive();

const apiIssue = z.strictObject({
	line: z.int().min(0).optional(),
	path: z.string(),
	message: z.string()
});
const _apiIssue: Same<z.output<typeof apiIssue>, ApiIssue> = true;

/** The one error shape; details beside the code and message are allowed and vary by code. */
const apiError = z.strictObject({
	error: z.looseObject({
		code: z.string(),
		message: z.string(),
		issues: z.array(apiIssue).optional()
	})
});

const importIssue = z.strictObject({ line: z.int().min(0), path: z.string(), message: z.string() });

const importFailure = z.strictObject({
	code: z.enum([
		'invalid_file',
		'already_imported',
		'file_too_large',
		'unknown_format',
		'conflict'
	]),
	message: z.string(),
	issues: z.array(importIssue),
	totalIssues: count,
	existing: z
		.strictObject({ batchId: id.nullable(), batchName: z.string().nullable(), constitutionId: id })
		.optional()
});
const _importFailure: Same<z.output<typeof importFailure>, Omit<ImportFailure, 'ok'>> = true;

const importFormat = z.enum(IMPORT_FORMATS);
const importSuccess = z.discriminatedUnion('kind', [
	z.strictObject({
		ok: z.literal(true),
		kind: z.literal('batch'),
		format: importFormat,
		batchId: id,
		batchName: z.string(),
		constitutionId: id,
		constitutionName: z.string(),
		items: count,
		responses: count,
		linkedPrompts: count,
		status: z.enum(['draft', 'open']).optional()
	}),
	z.strictObject({
		ok: z.literal(true),
		kind: z.literal('constitution'),
		format: importFormat,
		constitutionId: id,
		constitutionName: z.string(),
		traits: count,
		prompts: count
	})
]);
const _importSuccess: Same<z.output<typeof importSuccess>, ImportSuccess> = true;

/** What POST /api/v1/batches/{id}/reviews answers when the reviews are imported. */
const reviewImportSuccess = z.strictObject({
	ok: z.literal(true),
	batchId: id,
	batchName: z.string(),
	reviews: count,
	items: count,
	reviewers: z.array(
		z.strictObject({
			name: z.string().describe("The reviewer's name in the file."),
			username: z.string(),
			external: z.boolean().describe('An external reviewer: reviews, but no login.'),
			created: z.boolean().describe('Made by this import.')
		})
	)
});
const _reviewImportSuccess: Same<z.output<typeof reviewImportSuccess>, ReviewImportSuccess> = true;

/** The options a POST /api/v1/exports body carries: the export's own, plus batches by name. */
const exportRequest = exportOptionsFields.extend({
	batches: z
		.array(z.string())
		.optional()
		.describe('Batch names, resolved to ids and added to `batchIds`.')
});

/** What POST /api/v1/exports answers (its route builds this object by hand). */
const exportRecord = z.strictObject({
	id,
	format: z.enum(EXPORT_FORMATS),
	/** Stands for the validated options; replaced below by their output schema. */
	settings: z.unknown(),
	rowCount: count,
	itemsIn: count,
	itemsOut: z.record(z.string(), count).describe('Items left out, by reason.'),
	sha256: z.string().regex(/^[0-9a-f]{64}$/),
	bytes: count,
	createdAt: z.iso.datetime(),
	download: z.string().describe('Where the file is: GET it with the same token.'),
	card: z.string().describe('The dataset card, in markdown.')
});

function toSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
	const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
	return rest;
}

/**
 * The export options as stored with a record. `batchIds` ends in a transform (deduplicate, sort),
 * whose output zod cannot describe, so its schema is written out here.
 */
function exportSettingsSchema(): JsonSchema {
	const settings = toSchema(exportOptionsSchema);
	const properties = settings.properties as Record<string, JsonSchema>;
	return {
		...settings,
		properties: { ...properties, batchIds: toSchema(z.array(id).min(1)) }
	};
}

/**
 * The request body. zod marks `batchIds` and `minAgreement` required, since their preprocessing
 * takes any input, but a missing `batchIds` is fine when `batches` names them and a missing
 * `minAgreement` means no filter: only `format` has no default.
 */
function exportRequestSchema(): JsonSchema {
	return { ...toSchema(exportRequest, 'input'), required: ['format'] };
}

/** The query parameters of POST /api/v1/imports, by name: each one's schema as sent. */
export function importQueryParameters(schema: z.ZodObject): Record<string, JsonSchema> {
	const properties = toSchema(schema, 'input').properties as Record<string, JsonSchema>;
	// A yes/no parameter arrives as a word in the query string (formCheckbox reads it).
	return Object.fromEntries(
		Object.entries(properties).map(([name, property]) => [
			name,
			property.type === 'boolean' || ('anyOf' in property && isYesNo(property))
				? { type: 'string', enum: YES_NO_WORDS }
				: property
		])
	);
}

const YES_NO_WORDS = [...YES_WORDS, ...NO_WORDS];

function isYesNo(property: JsonSchema): boolean {
	const options = (property as { anyOf?: JsonSchema[] }).anyOf ?? [];
	return options.some((option) => option.type === 'boolean');
}

/** `components.schemas`, keyed by the names the paths `$ref`. */
export function componentSchemas(): Record<string, JsonSchema> {
	const record = toSchema(exportRecord);
	const properties = record.properties as Record<string, JsonSchema>;
	return {
		ApiError: toSchema(apiError),
		ImportSuccess: toSchema(importSuccess),
		ImportFailure: toSchema(z.strictObject({ error: importFailure })),
		ReviewImportSuccess: toSchema(reviewImportSuccess),
		ExportRequest: exportRequestSchema(),
		ExportSettings: exportSettingsSchema(),
		ExportRecord: {
			...record,
			properties: { ...properties, settings: { $ref: '#/components/schemas/ExportSettings' } }
		},
		Health: toSchema(z.strictObject({ ok: z.literal(true) }))
	};
}
