/**
 * The export choices as the export page offers them and the server checks them: one list of
 * formats and pairing strategies, safe to import in the browser.
 */

export const EXPORT_FORMATS = [
	'trl',
	'trl-conversational',
	'kto',
	'llama-factory-alpaca',
	'llama-factory-sharegpt',
	'openrlhf',
	'axolotl',
	'hh',
	'openai',
	'reviews-jsonl',
	'reviews-csv'
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FORMAT_LABELS: Record<ExportFormat, string> = {
	trl: 'TRL preference, standard (prompt, chosen, rejected as text)',
	'trl-conversational': 'TRL preference, conversational (message lists)',
	kto: 'TRL unpaired / KTO (prompt, completion, label)',
	'llama-factory-alpaca': 'LLaMA-Factory ranking, alpaca (instruction, chosen, rejected)',
	'llama-factory-sharegpt': 'LLaMA-Factory ranking, sharegpt (conversations, chosen, rejected)',
	openrlhf: 'OpenRLHF reward / DPO (chosen and rejected message lists)',
	axolotl: 'Axolotl DPO, chat_template.default (messages, chosen, rejected)',
	hh: 'Anthropic HH (Human: / Assistant: transcripts)',
	openai: 'OpenAI DPO fine-tuning (legacy: OpenAI is winding down fine-tuning)',
	'reviews-jsonl': 'Raw reviews, JSONL',
	'reviews-csv': 'Raw reviews, CSV'
};

/** The trainer that reads each format, and where its data format is documented. */
export const FORMAT_DOCS: Record<ExportFormat, { trainer: string; url: string }> = {
	trl: {
		trainer: 'TRL (DPOTrainer, RewardTrainer…)',
		url: 'https://huggingface.co/docs/trl/dataset_formats'
	},
	'trl-conversational': {
		trainer: 'TRL (DPOTrainer, RewardTrainer…)',
		url: 'https://huggingface.co/docs/trl/dataset_formats'
	},
	kto: { trainer: 'TRL KTOTrainer', url: 'https://huggingface.co/docs/trl/dataset_formats' },
	'llama-factory-alpaca': {
		trainer: 'LLaMA-Factory (DPO, ORPO, reward model)',
		url: 'https://github.com/hiyouga/LLaMA-Factory/blob/main/data/README.md'
	},
	'llama-factory-sharegpt': {
		trainer: 'LLaMA-Factory (DPO, ORPO, reward model)',
		url: 'https://github.com/hiyouga/LLaMA-Factory/blob/main/data/README.md'
	},
	openrlhf: {
		trainer: 'OpenRLHF (train_rm, train_dpo)',
		url: 'https://github.com/OpenRLHF/OpenRLHF/blob/main/openrlhf/datasets/reward_dataset.py'
	},
	axolotl: {
		trainer: 'Axolotl (rl: dpo)',
		url: 'https://docs.axolotl.ai/docs/rlhf.html#chat_template.default'
	},
	hh: {
		trainer: 'Anthropic HH-RLHF readers',
		url: 'https://huggingface.co/datasets/Anthropic/hh-rlhf'
	},
	openai: {
		trainer: 'OpenAI fine-tuning, DPO (legacy)',
		url: 'https://developers.openai.com/api/docs/guides/direct-preference-optimization'
	},
	'reviews-jsonl': { trainer: 'your own analysis; imports back', url: '#exporting' },
	'reviews-csv': { trainer: 'spreadsheets', url: '#exporting' }
};

/** What an export writes: one file, or a Hugging Face dataset folder packed as one archive. */
export const EXPORT_OUTPUTS = ['file', 'hf-dataset'] as const;
export type ExportOutput = (typeof EXPORT_OUTPUTS)[number];

export const OUTPUT_LABELS: Record<ExportOutput, string> = {
	file: 'One file',
	'hf-dataset': 'Hugging Face dataset folder (one config per trait, as a .tar archive)'
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

/** The formats whose lines can carry each pair's score difference as `margin`. */
export const MARGIN_FORMATS: readonly ExportFormat[] = ['trl', 'trl-conversational', 'openrlhf'];

/**
 * Whether lines carry `metadata` when nobody said: yes, except for OpenAI, whose file checks
 * refuse keys they do not know.
 */
export function defaultIncludeMetadata(format: string | undefined): boolean {
	return format !== 'openai';
}

/**
 * The options as a form sends them. An unticked checkbox sends nothing, so for a form a missing
 * checkbox means false, where for the API and the CLI a missing option takes its default.
 */
export type ExportFormValues = {
	batchIds: number[];
	format?: string;
	strategy?: string;
	includeMargin: boolean;
	includeMetadata: boolean;
	separatePrompt: boolean;
	/** Pair formats: the reviewers' evidence spans in each line's metadata. */
	rationale?: boolean;
	minMargin?: string;
	minReviews?: string;
	minAgreement?: string;
	excludeFlagged: boolean;
	lockedOnly: boolean;
	/** Gold items in pair formats (raw reviews always keep them). */
	includeGold: boolean;
	output?: string;
	testShare?: string;
	seed?: string;
	license?: string;
	/** Each content check's drop/keep choice, by check; missing: its default. */
	checks?: Partial<Record<ContentCheck, string>>;
	pairing?: string;
};

/**
 * The content checks an export runs over the pairs it would write. Each can drop the pairs it
 * finds or keep them (and only report them). Empty and identical answers teach a trainer
 * nothing, or the wrong thing, so those two drop unless told otherwise; the others keep.
 */
export const CONTENT_CHECKS = ['promptEnd', 'roles', 'placeholder', 'empty', 'identical'] as const;
export type ContentCheck = (typeof CONTENT_CHECKS)[number];

export const CHECK_ACTIONS = ['drop', 'keep'] as const;
export type CheckAction = (typeof CHECK_ACTIONS)[number];

export const DEFAULT_CHECK_ACTIONS: Record<ContentCheck, CheckAction> = {
	promptEnd: 'keep',
	roles: 'keep',
	placeholder: 'keep',
	empty: 'drop',
	identical: 'drop'
};

export const CHECK_LABELS: Record<ContentCheck, string> = {
	promptEnd: 'Prompt does not end on a user turn',
	roles: 'Prompt has roles this format cannot carry',
	placeholder: 'Placeholder text in a response ([...], TODO, lorem ipsum…)',
	empty: 'Empty response (whitespace only)',
	identical: 'Chosen and rejected are the same text'
};

/** The form field of each check's drop/keep choice. */
export const checkFieldName = (check: ContentCheck) => `check-${check}`;

/**
 * Pairs from items that share a prompt across traits: every trait's pairs as they are
 * (per-trait), or only pairs whose order no other trait reverses (agree-all-traits).
 */
export const TRAIT_PAIRINGS = ['per-trait', 'agree-all-traits'] as const;
export type TraitPairing = (typeof TRAIT_PAIRINGS)[number];
export const DEFAULT_TRAIT_PAIRING: TraitPairing = 'per-trait';

export const PAIRING_LABELS: Record<TraitPairing, string> = {
	'per-trait': 'Per trait: each trait’s pairs as its reviews ordered them',
	'agree-all-traits': 'Only pairs whose order agrees on every trait they were reviewed under'
};
