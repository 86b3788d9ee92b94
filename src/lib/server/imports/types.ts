import type { ImportProgress } from '$lib/import-result';
import type { ImportLimits } from './limits';

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
	/** Where the trait is defined (a Model Spec header, an OCT entry), for its problems. */
	line?: number;
	key: string;
	title: string;
	description: string;
	authority?: string;
	rubric?: string[];
};

/** How each step of an import says how far it has got, in bytes of the file. */
export type ReportProgress = (phase: ImportProgress['phase'], bytes: number) => void;

/** How a file is read: its limits, and whether invalid UTF-8 is refused (the default) or replaced. */
export type ReadRules = ImportLimits & { replaceInvalidUtf8: boolean };
