export const TURN_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
export type TurnRole = (typeof TURN_ROLES)[number];
export type Turn = { role: TurnRole; content: string };
export type ReferenceLabel = { label: 'good' | 'bad' | 'ok'; reason?: string };

export type ParsedResponse = {
	externalId?: string;
	model?: string;
	/** Exactly as in the file: never trimmed, never interpreted as HTML. */
	content: string;
	aiScore?: number;
	aiRank?: number;
	reference?: ReferenceLabel;
	metadata?: Record<string, unknown>;
};

export type ParsedItem = {
	/** The line (JSONL) or the line of the example (Model Spec) it came from. */
	line: number;
	externalId?: string;
	traitKey: string;
	prompt: Turn[];
	responses: ParsedResponse[];
	metadata?: Record<string, unknown>;
};

export type ParsedTrait = {
	key: string;
	title: string;
	description: string;
	authority?: string;
	rubric?: string[];
};

/** One problem in a file: line 0 means the file as a whole. */
export type ImportIssue = { line: number; path: string; message: string };

export const IMPORT_FORMATS = ['native', 'trl', 'oct', 'model-spec'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export type ImportLimits = {
	maxFileBytes: number;
	maxLineBytes: number;
	minResponses: number;
	maxResponses: number;
	maxResponseChars: number;
};

export const DEFAULT_LIMITS: ImportLimits = {
	maxFileBytes: 500 * 1024 * 1024,
	maxLineBytes: 4 * 1024 * 1024,
	minResponses: 2,
	maxResponses: 16,
	maxResponseChars: 100_000
};

/** zod's path ['responses', 1, 'content'] as people write it: responses[1].content. */
export function formatPath(path: readonly PropertyKey[]): string {
	return path
		.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
		.join('');
}
