/**
 * The export choices as the export page offers them and the server checks them: one list of
 * formats and pairing strategies, safe to import in the browser.
 */

export const EXPORT_FORMATS = [
	'trl',
	'trl-conversational',
	'kto',
	'openai',
	'hh',
	'reviews-jsonl',
	'reviews-csv'
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FORMAT_LABELS: Record<ExportFormat, string> = {
	trl: 'TRL preference, standard (prompt, chosen, rejected as text)',
	'trl-conversational': 'TRL preference, conversational (message lists)',
	kto: 'TRL unpaired / KTO (prompt, completion, label)',
	openai: 'OpenAI DPO fine-tuning',
	hh: 'Anthropic HH (Human: / Assistant: transcripts)',
	'reviews-jsonl': 'Raw reviews, JSONL',
	'reviews-csv': 'Raw reviews, CSV'
};

/** How an item's consensus order becomes preference pairs. */
export const PAIR_STRATEGIES = ['best-vs-worst', 'best-vs-each', 'all-pairs'] as const;
export type PairStrategy = (typeof PAIR_STRATEGIES)[number];

/** What a new export starts from: one pair per item. */
export const DEFAULT_PAIR_STRATEGY: PairStrategy = 'best-vs-worst';

export const STRATEGY_LABELS: Record<PairStrategy, string> = {
	'best-vs-worst': 'Best vs worst: one pair per item',
	'best-vs-each': 'Best vs each other response',
	'all-pairs': 'All ordered pairs'
};

/**
 * The options as a form sends them. An unticked checkbox sends nothing, so for a form a missing
 * checkbox means false, where for the API and the CLI a missing option takes its default.
 */
export type ExportFormValues = {
	batchIds: number[];
	format?: string;
	strategy?: string;
	includeMargin: boolean;
	minMargin?: string;
	minReviews?: string;
	minAgreement?: string;
	excludeFlagged: boolean;
	lockedOnly: boolean;
};
