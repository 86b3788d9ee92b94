import { z } from 'zod';
import { checkResponseCount, checkResponseLength, isPlainObject, optional } from './checks';
import { friendlyMessage, parseJson, toImportIssues } from './issues';
import type {
	ImportIssue,
	ImportLimits,
	LineResult,
	ParsedItem,
	ParsedResponse,
	Turn
} from './types';

// Objects are strict: a misspelt optional field ("ai-score") would otherwise vanish silently.
const idSchema = z.union([z.string().min(1), z.number()], {
	error: (issue) => (issue.input === undefined ? 'is missing' : 'must be text or a number')
});

const turnSchema = z.strictObject({
	role: z.enum(['system', 'developer', 'user', 'assistant']),
	content: z.string()
});

const promptSchema = z.union([z.string().min(1), z.array(turnSchema).min(1)], {
	error: (issue) =>
		issue.input === undefined ? 'is missing' : 'must be text or a list of {"role", "content"} turns'
});

const metadataSchema = z.record(z.string(), z.unknown());

const referenceSchema = z.strictObject({
	label: z.enum(['good', 'bad', 'ok']),
	reason: z.string().optional()
});

const responseSchema = z.strictObject({
	id: idSchema.optional(),
	model: z.string().optional(),
	content: z.string().min(1),
	ai_score: z.number().optional(),
	ai_rank: z.number().int().min(1).optional(),
	reference: referenceSchema.optional(),
	metadata: metadataSchema.optional()
});

const itemSchema = z.strictObject({
	id: idSchema.optional(),
	trait: z.string().refine((text) => text.trim() !== '', 'must not be empty'),
	prompt: promptSchema,
	responses: z.array(responseSchema),
	metadata: metadataSchema.optional()
});

type NativeItem = z.infer<typeof itemSchema>;
type NativeResponse = z.infer<typeof responseSchema>;

export type LineParse = { item?: ParsedItem; issues: ImportIssue[] };

/**
 * Parses and validates one native JSONL line. Checks that need the whole file (duplicate ids)
 * are left to `parseNative`.
 */
export function parseNativeLine(text: string, line: number, limits: ImportLimits): LineParse {
	const json = parseJson(text, line);
	if (!json.ok) return { issues: [json.issue] };
	if (!isPlainObject(json.value)) {
		return { issues: [{ line, path: '', message: 'must be a JSON object ({...}), one per line' }] };
	}
	const result = itemSchema.safeParse(json.value, { error: friendlyMessage });
	if (!result.success) return { issues: toImportIssues(result.error.issues, line) };
	const issues = checkLimits(result.data, line, limits);
	if (issues.length > 0) return { issues };
	return { item: toParsedItem(result.data, line), issues: [] };
}

export type NativeResult = { line: number; item?: ParsedItem; issues: ImportIssue[] };

/**
 * Validates a native JSONL file line by line. Only ids are remembered between lines, so memory
 * stays small however long the file is. An empty file yields one issue saying so.
 */
export async function* parseNative(
	lines: AsyncIterable<LineResult> | Iterable<LineResult>,
	limits: ImportLimits
): AsyncGenerator<NativeResult> {
	const seenIds = new Map<string, number>();
	let sawLine = false;
	for await (const entry of lines) {
		sawLine = true;
		if ('error' in entry) {
			yield { line: entry.line, issues: [{ line: entry.line, path: '', message: entry.error }] };
			continue;
		}
		const parsed = parseNativeLine(entry.text, entry.line, limits);
		const duplicate = parsed.item && checkDuplicateId(parsed.item, seenIds);
		if (duplicate) yield { line: entry.line, issues: [duplicate] };
		else yield { line: entry.line, ...parsed };
	}
	if (!sawLine) yield { line: 0, issues: [emptyFileIssue()] };
}

export function emptyFileIssue(): ImportIssue {
	return { line: 0, path: '', message: 'the file is empty: it contains no items' };
}

function checkDuplicateId(item: ParsedItem, seenIds: Map<string, number>): ImportIssue | undefined {
	if (item.externalId === undefined) return undefined;
	const firstLine = seenIds.get(item.externalId);
	if (firstLine === undefined) {
		seenIds.set(item.externalId, item.line);
		return undefined;
	}
	return {
		line: item.line,
		path: 'id',
		message: `"${item.externalId}" is used on both line ${firstLine} and line ${item.line}; ids must be unique within a file`
	};
}

function checkLimits(item: NativeItem, line: number, limits: ImportLimits): ImportIssue[] {
	return [
		...checkResponseCount(item.responses.length, line, limits),
		...item.responses.flatMap((response, index) =>
			checkResponseLength(response.content, line, `responses[${index}].content`, limits)
		),
		...checkDuplicateResponseIds(item.responses, line)
	];
}

function checkDuplicateResponseIds(responses: NativeResponse[], line: number): ImportIssue[] {
	const seen = new Map<string, number>();
	const issues: ImportIssue[] = [];
	responses.forEach((response, index) => {
		if (response.id === undefined) return;
		const id = String(response.id);
		const first = seen.get(id);
		if (first === undefined) seen.set(id, index);
		else
			issues.push({
				line,
				path: `responses[${index}].id`,
				message: `"${id}" is also the id of responses[${first}]; response ids must be unique within an item`
			});
	});
	return issues;
}

function toParsedItem(item: NativeItem, line: number): ParsedItem {
	return {
		line,
		...optional('externalId', item.id === undefined ? undefined : String(item.id)),
		traitKey: item.trait,
		prompt: toTurns(item.prompt),
		responses: item.responses.map(toParsedResponse),
		...optional('metadata', item.metadata)
	};
}

function toTurns(prompt: NativeItem['prompt']): Turn[] {
	return typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt;
}

function toParsedResponse(response: NativeResponse): ParsedResponse {
	return {
		...optional('externalId', response.id === undefined ? undefined : String(response.id)),
		...optional('model', response.model),
		content: response.content,
		...optional('aiScore', response.ai_score),
		...optional('aiRank', response.ai_rank),
		...optional('reference', response.reference),
		...optional('metadata', response.metadata)
	};
}
