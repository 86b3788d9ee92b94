import { formatCount } from '$lib/format';
import type { ImportIssue } from '$lib/import-result';
import { IssueList } from '../issues';
import { DEFAULT_LIMITS, type ImportLimits } from '../limits';
import { splitLines, type LineEntry, type LineRules } from '../lines';
import type { ParsedItem, ParsedTrait, Turn } from '../types';
import { attribute, parseBlock } from './model-spec-block';

/**
 * The Model Spec markdown. Every header with an id (`## Be warm {#be_warm authority=guideline}`)
 * becomes a trait; every `**Example**` becomes items of the trait whose section it sits in.
 *
 * An example's `~~~xml` block is a conversation. Each `<comparison>` in it becomes one item:
 * its prompt is every turn before it, its responses are the `<assistant>` candidates inside,
 * with their `<!-- GOOD/BAD/OK: reason -->` label. When a block has several comparisons (a
 * conversation that goes on), the later items' prompts carry the earlier turns, with the
 * earlier comparison's first GOOD candidate (or its first) standing in as the assistant's
 * reply. An example with no comparison becomes one item with no responses, its whole
 * conversation as the prompt: nothing in the file is dropped.
 *
 * The file is read line by line, in one pass, through the one line reader (which caps a line's
 * length): a 50 MB file built to be slow is read as fast as any other.
 */

/** The shipped spec has at most 2; each one repeats the conversation before it. */
export const MAX_COMPARISONS_PER_EXAMPLE = 20;
/** Prompts share their earlier turns in memory, but each item is written with all of them. */
export const MAX_PROMPT_TURNS = 1_000_000;

type Section = ParsedTrait & { line: number; prose: string[] };
type Block = { fence: string; line: number; lines: string[] };

/**
 * A header line with an id, as `^(#{1,6})\s+(.*?)\s*\{#([\w-]+)([^}]*)\}\s*$` would read it,
 * by scanning: that pattern backtracks without end on a long line of "{#" and no "}".
 */
export function parseHeader(
	text: string
): { title: string; key: string; attributes: string } | null {
	let hashes = 0;
	while (text[hashes] === '#') hashes += 1;
	if (hashes < 1 || hashes > 6 || !/\s/.test(text[hashes] ?? '')) return null;
	const end = text.trimEnd();
	if (!end.endsWith('}')) return null;
	const close = end.length - 1;
	// Nothing between the id and the closing brace may be another closing brace.
	const from = Math.max(hashes + 1, end.lastIndexOf('}', close - 1) + 1);
	for (let open = end.indexOf('{#', from); open !== -1; open = end.indexOf('{#', open + 1)) {
		let keyEnd = open + 2;
		while (keyEnd < close && /[\w-]/.test(end[keyEnd])) keyEnd += 1;
		if (keyEnd === open + 2) continue;
		return {
			title: end.slice(hashes, open).trim(),
			key: end.slice(open + 2, keyEnd),
			attributes: end.slice(keyEnd, close)
		};
	}
	return null;
}

/** `**Example**: title`, as `^\*\*Example\*\*:?\s*(.*)$` would read it. */
function exampleTitle(text: string): string | undefined {
	if (!text.startsWith('**Example**')) return undefined;
	const rest = text.slice('**Example**'.length);
	return (rest.startsWith(':') ? rest.slice(1) : rest).trim();
}

/** The fence of a line that opens an xml block, as `^(~~~|```)xml\s*$` would read it. */
function openingFence(text: string): string | undefined {
	const fence = text.slice(0, 3);
	if ((fence !== '~~~' && fence !== '```') || !text.startsWith('xml', 3)) return undefined;
	return text.slice(6).trim() === '' ? fence : undefined;
}

/** Reads a Model Spec one line at a time; `finish` gives its traits, items and problems. */
export class ModelSpecReader {
	private readonly sections: Section[] = [];
	private readonly sectionLines = new Map<string, number>();
	private readonly items: ParsedItem[] = [];
	private readonly issues = new IssueList();
	private current: Section | undefined;
	private example: { title: string; line: number } | undefined;
	private exampleCount = 0;
	private block: Block | undefined;
	private turnsLeft = MAX_PROMPT_TURNS;

	constructor(private readonly limits: Pick<ImportLimits, 'maxResponseChars'> = DEFAULT_LIMITS) {}

	addLine(entry: LineEntry): void {
		if ('error' in entry)
			return this.issues.add({ line: entry.line, path: '', message: entry.error });
		const { line, text } = entry;
		if (this.block) {
			if (text.trimEnd() === this.block.fence) this.closeBlock(this.block);
			else this.block.lines.push(text);
			return;
		}
		const header = parseHeader(text);
		if (header) return this.openSection(header, line);
		const title = exampleTitle(text);
		if (title !== undefined) {
			this.example = { title, line };
			return;
		}
		const fence = openingFence(text);
		if (fence) {
			this.block = { fence, line, lines: [] };
			return;
		}
		this.current?.prose.push(text);
	}

	finish(): {
		traits: ParsedTrait[];
		items: ParsedItem[];
		issues: ImportIssue[];
		totalIssues: number;
	} {
		if (this.block) {
			this.issues.add({
				line: this.block.line,
				path: '~~~xml',
				message: 'This xml block is never closed with ~~~.'
			});
		}
		const traits = this.sections.map(({ prose, ...trait }) => ({
			...trait,
			description: prose
				.join('\n')
				.replace(/\n{3,}/g, '\n\n')
				.trim()
		}));
		return { traits, items: this.items, issues: this.issues.kept, totalIssues: this.issues.total };
	}

	private openSection(header: NonNullable<ReturnType<typeof parseHeader>>, line: number) {
		const first = this.sectionLines.get(header.key);
		if (first !== undefined) {
			this.issues.add({
				line,
				path: `{#${header.key}}`,
				message: `The section id "${header.key}" is also used on line ${first}; section ids must be unique.`
			});
		} else {
			this.sectionLines.set(header.key, line);
		}
		this.current = {
			key: header.key,
			title: header.title,
			authority: attribute(header.attributes, 'authority'),
			description: '',
			line,
			prose: []
		};
		this.sections.push(this.current);
	}

	private closeBlock(block: Block) {
		this.block = undefined;
		const example = this.example;
		this.example = undefined;
		if (!example || !this.current) return;
		this.exampleCount += 1;
		for (const item of this.itemsOfExample(block.lines.join('\n'), this.current, example)) {
			this.turnsLeft -= item.prompt.length;
			if (this.turnsLeft < 0) {
				return this.issues.add({
					line: example.line,
					path: '~~~xml',
					message: `The examples' conversations add up to more than ${formatCount(MAX_PROMPT_TURNS)} turns, each item counting the turns before it. This is not a Model Spec.`
				});
			}
			this.items.push(item);
		}
	}

	private itemsOfExample(
		xml: string,
		section: Section,
		example: { title: string; line: number }
	): ParsedItem[] {
		const { line } = example;
		const issues: ImportIssue[] = [];
		const nodes = parseBlock(xml, line, issues);
		this.issues.addAll(issues);
		const comparisons = nodes.filter((n) => n.kind === 'comparison').length;
		if (comparisons > MAX_COMPARISONS_PER_EXAMPLE) {
			this.issues.add({
				line,
				path: '<comparison>',
				message: `This example has ${formatCount(comparisons)} comparisons; at most ${MAX_COMPARISONS_PER_EXAMPLE} are read, since each one repeats the conversation before it.`
			});
			return [];
		}
		const max = this.limits.maxResponseChars;
		const long = nodes.some(
			(n) => n.kind === 'comparison' && n.candidates.some((c) => c.content.length > max)
		);
		if (long) {
			this.issues.add({
				line,
				path: '<assistant>',
				message: `A candidate is longer than the limit of ${formatCount(max)} characters.`
			});
			return [];
		}
		const base = `${section.key}-ex${this.exampleCount}`;
		const metadata = { section: section.key, example: example.title };
		if (comparisons === 0) {
			const prompt = nodes.flatMap((n) =>
				n.kind === 'turn' ? [{ role: n.role, content: n.content }] : []
			);
			return [
				{
					line,
					externalId: base,
					traitKey: section.key,
					prompt,
					responses: [],
					metadata: { ...metadata, noCandidates: true }
				}
			];
		}
		const items: ParsedItem[] = [];
		const context: Turn[] = [];
		let k = 0;
		for (const node of nodes) {
			if (node.kind === 'turn') {
				context.push({ role: node.role, content: node.content });
				continue;
			}
			k += 1;
			items.push({
				line,
				externalId: comparisons > 1 ? `${base}-c${k}` : base,
				traitKey: section.key,
				prompt: [...context],
				responses: node.candidates,
				metadata: comparisons > 1 ? { ...metadata, comparison: k, of: comparisons } : metadata
			});
			const carried =
				node.candidates.find((c) => c.reference?.label === 'good') ?? node.candidates[0];
			if (carried) context.push({ role: 'assistant', content: carried.content });
		}
		return items;
	}
}

/** A whole Model Spec already in memory (tests, and the format's own checks). */
export function parseModelSpec(
	text: string,
	rules: LineRules & Pick<ImportLimits, 'maxResponseChars'> = DEFAULT_LIMITS
) {
	const reader = new ModelSpecReader(rules);
	for (const entry of splitLines(text, { ...rules, keepBlankLines: true })) reader.addLine(entry);
	return reader.finish();
}
