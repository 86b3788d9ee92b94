export type TurnRole = 'system' | 'developer' | 'user' | 'assistant';

export type Turn = { role: TurnRole; content: string };

export type ReferenceLabel = { label: 'good' | 'bad' | 'ok'; reason?: string };

export type ParsedResponse = {
	externalId?: string;
	model?: string;
	content: string;
	aiScore?: number;
	aiRank?: number;
	reference?: ReferenceLabel;
	metadata?: Record<string, unknown>;
};

export type ParsedItem = {
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

/** `line` is 1-based; 0 means the problem concerns the whole file. `path` may be empty. */
export type ImportIssue = { line: number; path: string; message: string };

export type ImportFormat = 'native' | 'trl' | 'oct' | 'model-spec';

export type ImportLimits = {
	maxFileBytes: number;
	maxLineBytes: number;
	minResponses: number;
	maxResponses: number;
	maxResponseChars: number;
};

export const DEFAULT_LIMITS: ImportLimits = {
	maxFileBytes: 500 * 1024 * 1024,
	// A line at the other limits (16 responses of 100,000 characters, up to 4 UTF-8 bytes each,
	// plus JSON escaping and the prompt) can exceed 6 MiB, so one line may use up to 8 MiB.
	maxLineBytes: 8 * 1024 * 1024,
	minResponses: 2,
	maxResponses: 16,
	maxResponseChars: 100_000
};

/** One line of a JSONL file as read by `readLines`: its text, or why it could not be read. */
export type LineResult = { line: number; text: string } | { line: number; error: string };
