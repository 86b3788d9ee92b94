import type { ImportIssue } from '$lib/import-result';
import type { ParsedItem, ParsedResponse, ParsedTrait, Turn, TurnRole } from '../types';

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
 */

const HEADER = /^(#{1,6})\s+(.*?)\s*\{#([\w-]+)([^}]*)\}\s*$/;
const TURN_TAGS = ['system', 'developer', 'user', 'assistant', 'tool', 'comparison'] as const;
const TAG = new RegExp(`<(${TURN_TAGS.join('|')})(\\s[^>]*)?>`, 'g');
const LABEL = /<!--\s*(GOOD|BAD|OK)\b(?:\[[^\]]*\])?\s*:?\s*([\s\S]*?)\s*-->/;

type Section = ParsedTrait & { line: number; prose: string[] };

function attribute(attrs: string, name: string): string | undefined {
	const match = attrs.match(new RegExp(`\\b${name}=(?:"([^"]*)"|(\\S+))`));
	return match ? (match[1] ?? match[2]) : undefined;
}

/** The text inside a tag, without the one newline that follows the opening tag and precedes the closing one. */
function innerText(raw: string): string {
	return raw.replace(/^\r?\n/, '').replace(/\r?\n$/, '');
}

type Node =
	| { kind: 'turn'; role: TurnRole; content: string }
	| { kind: 'comparison'; candidates: ParsedResponse[] };

/** Splits an xml block into top-level turns and comparisons, in order. */
function parseBlock(xml: string, line: number, issues: ImportIssue[]): Node[] {
	const nodes: Node[] = [];
	TAG.lastIndex = 0;
	for (let m = TAG.exec(xml); m; m = TAG.exec(xml)) {
		const tag = m[1];
		const close = xml.indexOf(`</${tag}>`, TAG.lastIndex);
		if (close < 0) {
			issues.push({ line, path: `<${tag}>`, message: `The <${tag}> tag is never closed.` });
			break;
		}
		const body = xml.slice(TAG.lastIndex, close);
		TAG.lastIndex = close + tag.length + 3;
		if (tag === 'comparison') {
			nodes.push({ kind: 'comparison', candidates: parseCandidates(body, line, issues) });
		} else {
			nodes.push({ kind: 'turn', role: tag as TurnRole, content: innerText(body) });
		}
	}
	return nodes;
}

function parseCandidates(body: string, line: number, issues: ImportIssue[]): ParsedResponse[] {
	const candidates: ParsedResponse[] = [];
	const open = /<assistant(\s[^>]*)?>/g;
	for (let m = open.exec(body); m; m = open.exec(body)) {
		const close = body.indexOf('</assistant>', open.lastIndex);
		if (close < 0) {
			issues.push({
				line,
				path: '<assistant>',
				message: 'An <assistant> candidate is never closed.'
			});
			break;
		}
		let content = body.slice(open.lastIndex, close);
		open.lastIndex = close + '</assistant>'.length;
		const label = content.match(LABEL);
		if (label) content = content.replace(LABEL, '');
		const recipient = m[1] ? attribute(m[1], 'recipient') : undefined;
		candidates.push({
			content: innerText(content.replace(/^[ \t]+/, '')),
			...(label && {
				reference: {
					label: label[1].toLowerCase() as 'good' | 'bad' | 'ok',
					...(label[2] && { reason: label[2] })
				}
			}),
			...(recipient && { metadata: { recipient } })
		});
	}
	return candidates;
}

export function parseModelSpec(text: string): {
	traits: ParsedTrait[];
	items: ParsedItem[];
	issues: ImportIssue[];
} {
	const lines = text.split(/\r?\n/);
	const sections: Section[] = [];
	const items: ParsedItem[] = [];
	const issues: ImportIssue[] = [];
	let current: Section | undefined;
	let exampleTitle: string | undefined;
	let exampleLine = 0;
	let exampleCount = 0;

	for (let i = 0; i < lines.length; i++) {
		const lineText = lines[i];
		const header = lineText.match(HEADER);
		if (header) {
			current = {
				key: header[3],
				title: header[2].trim(),
				authority: attribute(header[4], 'authority'),
				description: '',
				line: i + 1,
				prose: []
			};
			sections.push(current);
			continue;
		}
		const example = lineText.match(/^\*\*Example\*\*:?\s*(.*)$/);
		if (example) {
			exampleTitle = example[1].trim();
			exampleLine = i + 1;
			continue;
		}
		const fence = lineText.match(/^(~~~|```)xml\s*$/)?.[1];
		if (fence) {
			const end = lines.findIndex((l, j) => j > i && l.trimEnd() === fence);
			if (end < 0) {
				issues.push({
					line: i + 1,
					path: '~~~xml',
					message: 'This xml block is never closed with ~~~.'
				});
				break;
			}
			const xml = lines.slice(i + 1, end).join('\n');
			if (exampleTitle !== undefined && current) {
				exampleCount += 1;
				items.push(
					...itemsOfExample(xml, current, exampleTitle, exampleLine, exampleCount, issues)
				);
			}
			exampleTitle = undefined;
			i = end;
			continue;
		}
		if (current && !lineText.startsWith('**Example**')) current.prose.push(lineText);
	}

	const traits = sections.map(({ line: _line, prose, ...trait }) => ({
		...trait,
		description: prose
			.join('\n')
			.replace(/\n{3,}/g, '\n\n')
			.trim()
	}));
	return { traits, items, issues };
}

function itemsOfExample(
	xml: string,
	section: Section,
	title: string,
	line: number,
	exampleNumber: number,
	issues: ImportIssue[]
): ParsedItem[] {
	const nodes = parseBlock(xml, line, issues);
	const comparisons = nodes.filter((n) => n.kind === 'comparison').length;
	const base = `${section.key}-ex${exampleNumber}`;
	const metadata = { section: section.key, example: title };
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
