import { FORMAT_LABELS } from '$lib/export-options';
import { formatCount } from '$lib/format';
import { datasetCardSections, type CardInput } from './card';
import { isPairFormat, type ExportOptions } from './options';

/**
 * The README.md of a Hugging Face dataset folder: YAML front matter with the fields the Hub
 * reads (https://huggingface.co/docs/hub/datasets-cards), then the dataset card's prose.
 */

export type HubFile = {
	path: string;
	trait: string;
	split: 'train' | 'test';
	rows: number;
	sha256: string;
	bytes: number;
};

export type HubConfig = {
	name: string;
	/** The config that reads every trait's files. */
	all: boolean;
	splits: { split: 'train' | 'test'; paths: string[] }[];
};

const SPLITS = ['train', 'test'] as const;

/** One config per trait, and one for all of them (the default): splits that have files only. */
export function hubConfigs(files: readonly HubFile[]): HubConfig[] {
	// An export with no line holds one empty file of no trait (see hub-dataset.ts).
	const traits = [...new Set(files.map((f) => f.trait))].filter(Boolean).sort();
	const splitsOf = (chosen: readonly HubFile[]) =>
		SPLITS.map((split) => ({
			split,
			paths: chosen.filter((f) => f.split === split).map((f) => f.path)
		})).filter((s) => s.paths.length > 0);
	// A trait may itself be keyed "all": the combined config then takes another name.
	let allName = 'all';
	while (traits.includes(allName)) allName = `${allName}-traits`;
	const perTrait = traits.map((trait) => ({
		name: trait,
		all: false,
		splits: splitsOf(files.filter((f) => f.trait === trait))
	}));
	return [{ name: allName, all: true, splits: splitsOf(files) }, ...perTrait];
}

/** The Hub's size bands, by number of lines. */
export function sizeCategory(rows: number): string {
	const bands: [number, string][] = [
		[1e3, 'n<1K'],
		[1e4, '1K<n<10K'],
		[1e5, '10K<n<100K'],
		[1e6, '100K<n<1M'],
		[1e7, '1M<n<10M'],
		[1e8, '10M<n<100M'],
		[1e9, '100M<n<1B']
	];
	return bands.find(([limit]) => rows < limit)?.[1] ?? 'n>1B';
}

/** Every value is a double-quoted (JSON) string, so a trait keyed `no` or `1.0` stays text. */
const q = (value: string) => JSON.stringify(value);

function formatTags(options: ExportOptions): string[] {
	if (options.format === 'kto') return ['kto', 'preference'];
	if (!isPairFormat(options.format)) return ['human-feedback'];
	return ['dpo', 'preference'];
}

/** The YAML front matter: license, task, size, tags (the trait keys among them), configs. */
export function hubFrontMatter(options: ExportOptions, files: readonly HubFile[]): string {
	const configs = hubConfigs(files);
	const traits = configs.filter((c) => !c.all).map((c) => c.name);
	const rows = files.reduce((sum, f) => sum + f.rows, 0);
	const task = isPairFormat(options.format) ? 'text-generation' : 'text-classification';
	const tags = [...new Set(['trait-review', options.format, ...formatTags(options), ...traits])];
	const lines = [
		'---',
		`license: ${q(options.license)}`,
		'task_categories:',
		`  - ${q(task)}`,
		'size_categories:',
		`  - ${q(sizeCategory(rows))}`,
		'tags:',
		...tags.map((tag) => `  - ${q(tag)}`),
		'annotations_creators:',
		`  - ${q('expert-generated')}`,
		'source_datasets:',
		`  - ${q('original')}`,
		'configs:'
	];
	for (const config of configs) {
		lines.push(`  - config_name: ${q(config.name)}`);
		if (config.all) lines.push('    default: true');
		lines.push('    data_files:');
		for (const { split, paths } of config.splits) {
			lines.push(`      - split: ${q(split)}`);
			if (paths.length === 1) lines.push(`        path: ${q(paths[0])}`);
			else lines.push('        path:', ...paths.map((path) => `          - ${q(path)}`));
		}
	}
	lines.push('---', '');
	return lines.join('\n');
}

/** The whole README.md: front matter, the files with their hashes, then the card's sections. */
export function writeHubReadme(card: Omit<CardInput, 'record'>, files: readonly HubFile[]): string {
	const configs = hubConfigs(files);
	const unit = card.options.format === 'reviews-csv' ? 'rows' : 'lines';
	return [
		hubFrontMatter(card.options, files),
		'# Trait Review dataset',
		'',
		`- **Format:** ${FORMAT_LABELS[card.options.format]}`,
		`- **Configs:** ${configs.map((c) => `\`${c.name}\``).join(', ')} (the first is every trait together, and the default)`,
		`- **Created by:** ${card.createdBy ?? 'the command line'}`,
		'',
		'| file | ' + unit + ' | bytes | SHA-256 |',
		'| --- | --- | --- | --- |',
		...files.map(
			(f) =>
				`| \`${f.path}\` | ${formatCount(f.rows)} | ${formatCount(f.bytes)} | \`${f.sha256}\` |`
		),
		'',
		'```python',
		'from datasets import load_dataset',
		`dataset = load_dataset("path/to/this/folder", ${q(configs[0].name)})`,
		'```',
		'',
		...datasetCardSections(card)
	].join('\n');
}
