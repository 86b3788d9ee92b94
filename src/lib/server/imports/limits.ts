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

function fromEnv(name: string, scale: number, fallback: number): number {
	const value = Number(process.env[name]);
	return Number.isFinite(value) && value > 0 ? Math.floor(value * scale) : fallback;
}

/** Import limits: the defaults, overridden by IMPORT_* environment variables. */
export function configuredLimits(): ImportLimits {
	return {
		maxFileBytes: fromEnv('IMPORT_MAX_FILE_MB', 1024 * 1024, DEFAULT_LIMITS.maxFileBytes),
		maxLineBytes: fromEnv('IMPORT_MAX_LINE_KB', 1024, DEFAULT_LIMITS.maxLineBytes),
		minResponses: DEFAULT_LIMITS.minResponses,
		maxResponses: fromEnv('IMPORT_MAX_RESPONSES', 1, DEFAULT_LIMITS.maxResponses),
		maxResponseChars: fromEnv('IMPORT_MAX_RESPONSE_CHARS', 1, DEFAULT_LIMITS.maxResponseChars)
	};
}
