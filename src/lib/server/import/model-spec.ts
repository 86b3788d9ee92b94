import { optional } from './checks';
import type {
	ImportIssue,
	ParsedItem,
	ParsedResponse,
	ParsedTrait,
	ReferenceLabel,
	Turn,
	TurnRole
} from './types';

/*
 * The OpenAI Model Spec in markdown (github.com/openai/model_spec).
 *
 * Sections: every header with an id, `## Title {#id authority=level}`, is a trait; the authority
 * is optional because the top-level chapters have none. The description is the section's prose up
 * to the next header, without the example markers and their conversation blocks.
 *
 * Examples: a `**Example**: title` line is followed by a `~~~xml` block holding the conversation.
 * In release 2025-12-18 there are 183 examples, one block each, and 189 comparisons:
 *   - 173 examples hold one comparison (22 of them with a single candidate);
 *   - 8 hold two, as a conversation that goes on (user, comparison, user, comparison);
 *   - 2 (under "Definitions") hold none: they only show how conversations are written.
 * No example is dropped:
 *   - each comparison becomes one item. Its prompt is every turn before it; where an earlier
 *     comparison stands in the conversation, its first GOOD candidate (else first OK, else first)
 *     stands in as the assistant's turn, since the spec continues from the answer it endorses;
 *   - an example without a comparison becomes one item with no responses;
 *   - items with fewer than 2 candidates carry `tooFewCandidates: true` in their metadata, and
 *     the caller decides whether to import them.
 *
 * Turns: <system>, <developer>, <user> and <assistant> keep their roles; an <assistant> outside a
 * comparison is earlier conversation. <tool> output becomes a user turn, since the turn roles have
 * no tool role and, like a user turn, it is input the assistant answers. Tags that carry more than
 * a role (<tool name=...>, <assistant recipient=...>, <user comment=...>) are listed in the item's
 * `turnTags` metadata with their attributes. Nested markup (<settings>, <untrusted>) stays in the
 * content as written. Text between turns ("[...]" for elided turns) goes to `textBetweenTurns`.
 *
 * Labels: `<!-- GOOD -->`, `<!-- BAD: reason -->`, `<!-- OK, reason -->`, and
 * `<!-- BAD[#section]: reason -->`, whose section id (the principle the label refers to) goes
 * to the response's metadata as `labelSection`.
 *
 * Content: the text between a tag's line and its closing tag, exactly as written (HTML entities
 * such as &lt; included); only the line break after the opening tag (and its label) and the one
 * before the closing tag are markup.
 */

export type ModelSpecResult = { traits: ParsedTrait[]; items: ParsedItem[]; issues: ImportIssue[] };

const TURN_TAGS = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
type TurnTag = (typeof TURN_TAGS)[number];

const ROLE_OF_TAG: Record<TurnTag, TurnRole> = {
	system: 'system',
	developer: 'developer',
	user: 'user',
	assistant: 'assistant',
	tool: 'user'
};

const HEADER = /^#{1,6}\s+(.*?)\s*\{#([^\s}]+)([^}]*)\}\s*$/;
const EXAMPLE = /^\*\*Example\*\*:?\s*(.*)$/;
const XML_OPEN = /^~~~xml\s*$/;
const XML_CLOSE = /^~~~\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const OPEN_TAG = /<(system|developer|user|assistant|tool|comparison)((?:\s+[\w-]+="[^"]*")*)\s*>/g;
const LABEL = /^<!--\s*(GOOD|BAD|OK)\b(?:\[#([^\]]+)\])?\s*[:,]?\s*([\s\S]*?)\s*-->$/i;

type Section = { trait: ParsedTrait; line: number; prose: string[]; examples: number };
type Example = { title: string; line: number };

type TurnNode = {
	kind: 'turn';
	tag: TurnTag;
	attributes: Record<string, string>;
	comment?: string;
	content: string;
	line: number;
};
type ComparisonNode = { kind: 'comparison'; candidates: TurnNode[]; line: number };
type TextNode = { kind: 'text'; text: string; line: number };
type Node = TurnNode | ComparisonNode | TextNode;

/** Parses the whole spec; it is one document of a few hundred kilobytes, read at once. */
export function parseModelSpec(text: string): ModelSpecResult {
	const parser = new SpecParser();
	parser.parse(splitLines(text));
	return parser.result();
}

function splitLines(text: string): string[] {
	return text
		.replace(/^\ufeff/, '')
		.split('\n')
		.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

class SpecParser {
	private sections: Section[] = [];
	private items: ParsedItem[] = [];
	private issues: ImportIssue[] = [];
	private pending: Example | undefined;

	parse(lines: string[]): void {
		let fence: string | undefined;
		for (let index = 0; index < lines.length; index += 1) {
			const text = lines[index];
			const line = index + 1;
			if (fence !== undefined) {
				if (closesFence(text, fence)) fence = undefined;
				this.addProse(text);
			} else if (XML_OPEN.test(text)) {
				const end = findXmlEnd(lines, index + 1);
				if (end === -1) {
					this.issue(line, 'the ~~~xml block that starts here is never closed with ~~~');
					this.pending = undefined;
					break;
				}
				this.addExampleBlock(lines.slice(index + 1, end).join('\n'), line);
				index = end;
			} else if (FENCE.test(text)) {
				fence = FENCE.exec(text)?.[1];
				this.addProse(text);
			} else {
				this.addLine(text, line);
			}
		}
		this.reportPendingExample();
	}

	result(): ModelSpecResult {
		const traits = this.sections.map((section) => ({
			...section.trait,
			description: tidyProse(section.prose)
		}));
		if (traits.length === 0) {
			this.issue(0, 'the file has no sections with ids ("## Title {#id authority=...}")');
		}
		return { traits, items: this.items, issues: this.issues };
	}

	private addLine(text: string, line: number): void {
		const header = HEADER.exec(text);
		const example = EXAMPLE.exec(text);
		if (header) this.openSection(header, line);
		else if (example) this.openExample(example[1].trim(), line);
		else this.addProse(text);
	}

	private openSection(header: RegExpExecArray, line: number): void {
		this.reportPendingExample();
		const [, title, key, attributeText] = header;
		const duplicate = this.sections.find((section) => section.trait.key === key);
		if (duplicate)
			this.issue(line, `the section id "${key}" is also used on line ${duplicate.line}`);
		const authority = /\bauthority=(\S+)/.exec(attributeText)?.[1];
		this.sections.push({
			trait: { key, title, description: '', ...optional('authority', authority) },
			line,
			prose: [],
			examples: 0
		});
	}

	private openExample(title: string, line: number): void {
		this.reportPendingExample();
		this.pending = { title, line };
	}

	/** An example marker with no conversation after it would otherwise vanish without a word. */
	private reportPendingExample(): void {
		if (!this.pending) return;
		const { title, line } = this.pending;
		this.issue(line, `the example "${title}" has no ~~~xml conversation block after it`);
		this.pending = undefined;
	}

	private addProse(text: string): void {
		this.sections.at(-1)?.prose.push(text);
	}

	private addExampleBlock(body: string, fenceLine: number): void {
		const section = this.sections.at(-1);
		const example = this.pending ?? { title: '', line: fenceLine };
		this.pending = undefined;
		if (!section) {
			this.issue(example.line, 'this example comes before the first section header with an id');
			return;
		}
		const parsed = parseConversation(body, fenceLine + 1);
		this.issues.push(...parsed.issues);
		if (parsed.issues.length > 0) return;
		section.examples += 1;
		const exampleId = `${section.trait.key}/example-${section.examples}`;
		this.items.push(...buildItems(parsed.nodes, section.trait.key, exampleId, example));
	}

	private issue(line: number, message: string): void {
		this.issues.push({ line, path: '', message });
	}
}

function closesFence(text: string, fence: string): boolean {
	const match = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text);
	return match !== null && match[1][0] === fence[0] && match[1].length >= fence.length;
}

function findXmlEnd(lines: string[], from: number): number {
	for (let index = from; index < lines.length; index += 1) {
		if (XML_CLOSE.test(lines[index])) return index;
	}
	return -1;
}

/** Joins the prose and drops the runs of blank lines left where examples were taken out. */
function tidyProse(lines: string[]): string {
	return lines
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

// ---- Conversation blocks ----

type Conversation = { nodes: Node[]; issues: ImportIssue[] };

/** Reads the top-level elements of an xml block; `firstLine` is the file line of its first line. */
function parseConversation(body: string, firstLine: number): Conversation {
	const lineAt = (offset: number) => firstLine + countNewlines(body, offset);
	const nodes: Node[] = [];
	const issues: ImportIssue[] = [];
	let position = 0;
	while (position < body.length) {
		const open = findOpenTag(body, position);
		const gap = body.slice(position, open ? open.index : body.length);
		if (gap.trim() !== '') {
			const problem = checkGap(gap, lineAt(position + gap.search(/\S/)));
			if (problem) issues.push(problem);
			else nodes.push({ kind: 'text', text: gap.trim(), line: lineAt(position) });
		}
		if (!open) break;
		const element = readElement(body, open, lineAt(open.index));
		if ('issue' in element) {
			issues.push(element.issue);
			break;
		}
		nodes.push(element.node);
		position = element.end;
	}
	return { nodes, issues };
}

/** Stray text is kept, but a tag we do not know is more likely a typo than prose. */
function checkGap(gap: string, line: number): ImportIssue | undefined {
	const tag = /^<\/?([A-Za-z][\w-]*)/.exec(gap.trim());
	if (!tag) return undefined;
	const known = [...TURN_TAGS, 'comparison'].map((name) => `<${name}>`).join(', ');
	return {
		line,
		path: '',
		message: `<${tag[1]}> is not a tag of a conversation here; expected one of ${known}`
	};
}

function findOpenTag(body: string, from: number): RegExpExecArray | null {
	OPEN_TAG.lastIndex = from;
	return OPEN_TAG.exec(body);
}

function readElement(
	body: string,
	open: RegExpExecArray,
	line: number
): { node: Node; end: number } | { issue: ImportIssue } {
	const [openText, tag, attributeText] = open;
	const contentStart = open.index + openText.length;
	const close = findClosingTag(body, tag, contentStart);
	if (close === -1) {
		return { issue: { line, path: '', message: `<${tag}> is opened here but never closed` } };
	}
	const end = close + `</${tag}>`.length;
	const inner = body.slice(contentStart, close);
	if (tag === 'comparison') return readComparison(inner, line, end);
	const { comment, content } = splitContent(inner);
	const node: TurnNode = {
		kind: 'turn',
		tag: tag as TurnTag,
		attributes: parseAttributes(attributeText),
		...optional('comment', comment),
		content,
		line
	};
	return { node, end };
}

function readComparison(
	inner: string,
	line: number,
	end: number
): { node: Node; end: number } | { issue: ImportIssue } {
	const parsed = parseConversation(inner, line);
	if (parsed.issues.length > 0) return { issue: parsed.issues[0] };
	const stray = parsed.nodes.find((node) => node.kind !== 'turn' || node.tag !== 'assistant');
	if (stray) {
		const what = stray.kind === 'turn' ? `<${stray.tag}>` : 'text outside <assistant>';
		const message = `a <comparison> may hold only <assistant> candidates, but has ${what}`;
		return { issue: { line: stray.line, path: '', message } };
	}
	return { node: { kind: 'comparison', candidates: parsed.nodes as TurnNode[], line }, end };
}

/** Finds the matching close tag, counting nested tags of the same name. */
function findClosingTag(body: string, tag: string, from: number): number {
	const pattern = new RegExp(`<(/?)${tag}(?=[\\s>])[^>]*>`, 'g');
	pattern.lastIndex = from;
	let depth = 1;
	for (let match = pattern.exec(body); match; match = pattern.exec(body)) {
		depth += match[1] ? -1 : 1;
		if (depth === 0) return match.index;
	}
	return -1;
}

function parseAttributes(text: string): Record<string, string> {
	return Object.fromEntries([...text.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
}

/** Separates the label comment on the opening line from the content proper. */
function splitContent(inner: string): { comment?: string; content: string } {
	const head = /^[ \t]*(<!--[\s\S]*?-->)?[ \t]*(?:\r?\n)?/.exec(inner);
	const headText = head?.[0] ?? '';
	const content = inner.slice(headText.length).replace(/\r?\n[ \t]*$/, '');
	return { ...optional('comment', head?.[1]), content };
}

function countNewlines(text: string, end: number): number {
	let count = 0;
	for (
		let index = text.indexOf('\n');
		index !== -1 && index < end;
		index = text.indexOf('\n', index + 1)
	) {
		count += 1;
	}
	return count;
}

// ---- Items ----

type TurnTagNote = { turn: number; tag: TurnTag; attributes: Record<string, string> };

function buildItems(
	nodes: Node[],
	traitKey: string,
	exampleId: string,
	example: Example
): ParsedItem[] {
	const comparisons = nodes.filter((node) => node.kind === 'comparison').length;
	const prompt: Turn[] = [];
	const tagNotes: TurnTagNote[] = [];
	const gaps: string[] = [];
	const items: ParsedItem[] = [];
	let trailing: Turn[] = [];
	for (const node of nodes) {
		if (node.kind === 'text') gaps.push(node.text);
		else if (node.kind === 'turn') trailing.push(addTurn(prompt, tagNotes, node));
		else {
			const context = { traitKey, exampleId, example, comparisons, index: items.length + 1 };
			items.push(makeItem(context, [...prompt], node.candidates, tagNotes, gaps));
			const preferred = preferredCandidate(node.candidates);
			if (preferred) addTurn(prompt, tagNotes, preferred);
			trailing = [];
		}
	}
	const last = items.at(-1);
	if (!last) {
		const context = { traitKey, exampleId, example, comparisons, index: 1 };
		return [makeItem(context, prompt, [], tagNotes, gaps)];
	}
	// Turns after the last comparison answer nothing, but dropping them would lose them.
	if (trailing.length > 0) last.metadata = { ...last.metadata, followingTurns: trailing };
	return items;
}

function addTurn(prompt: Turn[], notes: TurnTagNote[], node: TurnNode): Turn {
	const role = ROLE_OF_TAG[node.tag];
	if (role !== node.tag || Object.keys(node.attributes).length > 0) {
		notes.push({ turn: prompt.length, tag: node.tag, attributes: node.attributes });
	}
	const turn: Turn = { role, content: node.content };
	prompt.push(turn);
	return turn;
}

/** The answer the spec endorses is the one its conversation goes on from. */
function preferredCandidate(candidates: TurnNode[]): TurnNode | undefined {
	const labelOf = (node: TurnNode) => parseLabel(node.comment)?.reference.label;
	return (
		candidates.find((node) => labelOf(node) === 'good') ??
		candidates.find((node) => labelOf(node) === 'ok') ??
		candidates[0]
	);
}

type ItemContext = {
	traitKey: string;
	exampleId: string;
	example: Example;
	comparisons: number;
	index: number;
};

function makeItem(
	context: ItemContext,
	prompt: Turn[],
	candidates: TurnNode[],
	tagNotes: TurnTagNote[],
	gaps: string[]
): ParsedItem {
	const { traitKey, exampleId, example, comparisons, index } = context;
	const notes = tagNotes.filter((note) => note.turn < prompt.length);
	const metadata: Record<string, unknown> = {
		source: 'model-spec',
		title: example.title,
		candidates: candidates.length,
		...(comparisons > 1 ? { comparison: index, comparisons } : {}),
		...(candidates.length < 2 ? { tooFewCandidates: true } : {}),
		...(notes.length > 0 ? { turnTags: notes } : {}),
		...(gaps.length > 0 ? { textBetweenTurns: [...gaps] } : {})
	};
	return {
		line: example.line,
		externalId: comparisons > 1 ? `${exampleId}/comparison-${index}` : exampleId,
		traitKey,
		prompt,
		responses: candidates.map(toResponse),
		metadata
	};
}

function toResponse(node: TurnNode): ParsedResponse {
	const label = parseLabel(node.comment);
	const metadata: Record<string, unknown> = {
		...(label?.labelSection ? { labelSection: label.labelSection } : {}),
		...(node.comment && !label ? { comment: node.comment } : {}),
		...(Object.keys(node.attributes).length > 0 ? { attributes: node.attributes } : {})
	};
	return {
		content: node.content,
		...optional('reference', label?.reference),
		...optional('metadata', Object.keys(metadata).length > 0 ? metadata : undefined)
	};
}

function parseLabel(
	comment: string | undefined
): { reference: ReferenceLabel; labelSection?: string } | undefined {
	const match = comment ? LABEL.exec(comment) : null;
	if (!match) return undefined;
	const [, label, labelSection, reason] = match;
	const reference: ReferenceLabel = {
		label: label.toLowerCase() as ReferenceLabel['label'],
		...optional('reason', reason || undefined)
	};
	return { reference, ...optional('labelSection', labelSection) };
}
