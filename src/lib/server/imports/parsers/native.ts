import { z } from 'zod';
import { formatCount } from '$lib/format';
import type { ImportIssue } from '$lib/import-result';
import type { ImportLimits } from '../limits';
import { TURN_ROLES, type ParsedItem, type Turn } from '../types';
import { expected, parseJsonLine } from './json';
import { metadataIssues } from './json-checks';
import { traitKeyProblem } from './trait-checks';

const turnSchema = z.object(
	{
		role: z.enum(TURN_ROLES, expected(`one of ${TURN_ROLES.join(', ')}`)),
		content: z.string(expected('a string'))
	},
	expected('a {"role", "content"} turn')
);

const promptSchema = z.union(
	[z.string(), z.array(turnSchema).min(1, 'needs at least one turn')],
	expected('a string or a list of {"role", "content"} turns')
);

const metadataSchema = z.record(z.string(), z.unknown(), expected('an object')).optional();

function responseSchema(limits: ImportLimits) {
	return z.object(
		{
			id: z.union([z.string(), z.number()], expected('a string or a number')).optional(),
			model: z.string(expected('a string')).max(200, 'can have at most 200 characters').optional(),
			content: z
				.string(expected('a string'))
				.max(
					limits.maxResponseChars,
					`is longer than the limit of ${formatCount(limits.maxResponseChars)} characters`
				),
			ai_score: z.number(expected('a number')).finite().optional(),
			ai_rank: z
				.number(expected('a whole number, 1 or more'))
				.int('must be a whole number, 1 or more')
				.min(1, 'must be a whole number, 1 or more')
				.optional(),
			reference: z
				.object(
					{
						label: z.enum(['good', 'bad', 'ok'], expected('"good", "bad" or "ok"')),
						reason: z.string(expected('a string')).optional()
					},
					expected('an object {"label", "reason"?}')
				)
				.optional(),
			metadata: metadataSchema
		},
		expected('an object {"content", …}')
	);
}

function itemSchema(limits: ImportLimits) {
	return z.object(
		{
			id: z
				.union([z.string().min(1), z.number()], expected('a non-empty string or a number'))
				.optional(),
			trait: z
				.string(
					expected(
						'a string, the key of a trait',
						'is required: the key of the trait this item is reviewed for'
					)
				)
				.trim()
				.superRefine((key, ctx) => {
					const problem = traitKeyProblem(key);
					if (problem) ctx.addIssue({ code: 'custom', message: problem });
				}),
			prompt: promptSchema,
			responses: z
				.array(responseSchema(limits), expected('a list of responses'))
				.min(limits.minResponses, `needs at least ${limits.minResponses} responses`)
				.max(limits.maxResponses, `can have at most ${limits.maxResponses} responses`),
			metadata: metadataSchema
		},
		expected('a JSON object')
	);
}

const schemas = new WeakMap<ImportLimits, ReturnType<typeof itemSchema>>();

export function toTurns(prompt: string | Turn[]): Turn[] {
	return typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt;
}

/**
 * An id as text. Converted here rather than by a zod transform: a transform makes each id a
 * pipe, after which V8 allocated zod's parse results straight into the old generation, to wait
 * there for a full collection. A 100,000-item import peaked at 285 MB with the transforms, and
 * at 225 MB without.
 */
function idText(id: string | number | undefined): string | undefined {
	return id === undefined ? undefined : String(id);
}

/** One line of native JSONL: an item, or the issues that stop it being one. */
export function parseNativeLine(
	text: string,
	line: number,
	limits: ImportLimits
): { item?: ParsedItem; issues: ImportIssue[] } {
	let schema = schemas.get(limits);
	if (!schema) schemas.set(limits, (schema = itemSchema(limits)));
	const { value: v, issues } = parseJsonLine(text, line, schema, (item) => [
		...metadataIssues(item.metadata, 'metadata', line),
		...item.responses.flatMap((r, i) =>
			metadataIssues(r.metadata, `responses[${i}].metadata`, line)
		)
	]);
	if (issues) return { issues };
	return {
		issues: [],
		item: {
			line,
			externalId: idText(v.id),
			traitKey: v.trait,
			prompt: toTurns(v.prompt),
			metadata: v.metadata,
			responses: v.responses.map((r) => ({
				externalId: idText(r.id),
				model: r.model,
				content: r.content,
				aiScore: r.ai_score,
				aiRank: r.ai_rank,
				reference: r.reference,
				metadata: r.metadata
			}))
		}
	};
}
