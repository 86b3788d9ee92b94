import { z } from 'zod';
import { formatCount } from '$lib/format';
import type { ImportIssue } from '$lib/import-result';
import type { ImportLimits } from '../limits';
import { TURN_ROLES, type ParsedItem, type Turn } from '../types';
import { parseJsonLine } from './json';

const turnSchema = z.object({
	role: z.enum(TURN_ROLES, { message: `must be one of ${TURN_ROLES.join(', ')}` }),
	content: z.string({ message: 'must be a string' })
});

const promptSchema = z.union([z.string(), z.array(turnSchema).min(1, 'needs at least one turn')], {
	message: 'must be a string or a list of {"role", "content"} turns'
});

function responseSchema(limits: ImportLimits) {
	return z.object({
		id: z.union([z.string(), z.number()]).transform(String).optional(),
		model: z.string({ message: 'must be a string' }).max(200).optional(),
		content: z
			.string({ message: 'must be a string' })
			.max(
				limits.maxResponseChars,
				`is longer than the limit of ${formatCount(limits.maxResponseChars)} characters`
			),
		ai_score: z.number({ message: 'must be a number' }).finite().optional(),
		ai_rank: z.number({ message: 'must be a whole number' }).int().min(1).optional(),
		reference: z
			.object({
				label: z.enum(['good', 'bad', 'ok'], { message: 'must be "good", "bad" or "ok"' }),
				reason: z.string({ message: 'must be a string' }).optional()
			})
			.optional(),
		metadata: z.record(z.string(), z.unknown()).optional()
	});
}

function itemSchema(limits: ImportLimits) {
	return z.object({
		id: z
			.union([z.string().min(1), z.number()])
			.transform(String)
			.optional(),
		trait: z
			.string({ message: 'is required: the key of the trait this item is reviewed for' })
			.trim()
			.min(1, 'must not be empty')
			.max(100),
		prompt: promptSchema,
		responses: z
			.array(responseSchema(limits), { message: 'must be a list of responses' })
			.min(limits.minResponses, `needs at least ${limits.minResponses} responses`)
			.max(limits.maxResponses, `can have at most ${limits.maxResponses} responses`),
		metadata: z.record(z.string(), z.unknown()).optional()
	});
}

const schemas = new WeakMap<ImportLimits, ReturnType<typeof itemSchema>>();

export function toTurns(prompt: string | Turn[]): Turn[] {
	return typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt;
}

/** One line of native JSONL: an item, or the issues that stop it being one. */
export function parseNativeLine(
	text: string,
	line: number,
	limits: ImportLimits
): { item?: ParsedItem; issues: ImportIssue[] } {
	let schema = schemas.get(limits);
	if (!schema) schemas.set(limits, (schema = itemSchema(limits)));
	const { value: v, issues } = parseJsonLine(text, line, schema);
	if (issues) return { issues };
	return {
		issues: [],
		item: {
			line,
			externalId: v.id,
			traitKey: v.trait,
			prompt: toTurns(v.prompt),
			metadata: v.metadata,
			responses: v.responses.map((r) => ({
				externalId: r.id,
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
