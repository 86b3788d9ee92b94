import type { ImportIssue } from '$lib/import-result';
import type { ParsedResponse, TurnRole } from '../types';

/**
 * An example's `~~~xml` block, read by scanning the string forwards: no regex that could
 * backtrack, and no search that starts again from the top. Each search either finds what it
 * looks for and moves past it, or proves that nothing further can match and stops, so a block
 * costs time in proportion to its length, whatever it holds.
 */

const TURN_TAGS = ['system', 'developer', 'user', 'assistant', 'tool', 'comparison'] as const;
type Tag = (typeof TURN_TAGS)[number];

export type BlockNode =
	| { kind: 'turn'; role: TurnRole; content: string }
	| { kind: 'comparison'; candidates: ParsedResponse[] };

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
const isWordChar = (c: string | undefined) => c !== undefined && /\w/.test(c);

/**
 * The next opening tag `<name>` or `<name attributes>` at or after `from`, as the pattern
 * `<(name)(\s[^>]*)?>` would find it. With no `>` left in the text, no tag can follow: stop.
 */
function nextTag<T extends string>(
	text: string,
	from: number,
	names: readonly T[]
): { name: T; attributes: string; end: number } | null {
	for (let lt = text.indexOf('<', from); lt !== -1; lt = text.indexOf('<', lt + 1)) {
		const name = names.find((n) => text.startsWith(n, lt + 1));
		if (!name) continue;
		const after = lt + 1 + name.length;
		if (text[after] === '>') return { name, attributes: '', end: after + 1 };
		if (!isSpace(text[after])) continue;
		const gt = text.indexOf('>', after);
		if (gt === -1) return null;
		return { name, attributes: text.slice(after, gt), end: gt + 1 };
	}
	return null;
}

/** `name=value` or `name="a value"` among a tag's attributes. */
export function attribute(attributes: string, name: string): string | undefined {
	const match = attributes.match(new RegExp(`\\b${name}=(?:"([^"]*)"|(\\S+))`));
	return match ? (match[1] ?? match[2]) : undefined;
}

/** The text inside a tag, without the one newline that follows the opening tag and precedes the closing one. */
function innerText(raw: string): string {
	return raw.replace(/^\r?\n/, '').replace(/\r?\n$/, '');
}

type Label = { start: number; end: number; label: 'good' | 'bad' | 'ok'; reason: string };

/**
 * The first `<!-- GOOD[#ref]: reason -->` (or BAD, OK) in a candidate, as the pattern
 * `<!--\s*(GOOD|BAD|OK)\b(?:\[[^\]]*\])?\s*:?\s*([\s\S]*?)\s*-->` would find it.
 */
function findLabel(text: string): Label | null {
	for (let open = text.indexOf('<!--'); open !== -1; open = text.indexOf('<!--', open + 1)) {
		let i = open + 4;
		while (isSpace(text[i])) i += 1;
		const word = (['GOOD', 'BAD', 'OK'] as const).find((w) => text.startsWith(w, i));
		if (!word || isWordChar(text[i + word.length])) continue;
		i += word.length;
		if (text[i] === '[') {
			const bracket = text.indexOf(']', i);
			if (bracket !== -1) i = bracket + 1;
		}
		while (isSpace(text[i])) i += 1;
		if (text[i] === ':') i += 1;
		while (isSpace(text[i])) i += 1;
		const close = text.indexOf('-->', i);
		// No later comment can close either.
		if (close === -1) return null;
		const label = word.toLowerCase() as Label['label'];
		return { start: open, end: close + 3, label, reason: text.slice(i, close).trimEnd() };
	}
	return null;
}

function parseCandidates(body: string, line: number, issues: ImportIssue[]): ParsedResponse[] {
	const candidates: ParsedResponse[] = [];
	for (let tag = nextTag(body, 0, ['assistant']); tag;) {
		const close = body.indexOf('</assistant>', tag.end);
		if (close < 0) {
			issues.push({
				line,
				path: '<assistant>',
				message: 'An <assistant> candidate is never closed.'
			});
			break;
		}
		let content = body.slice(tag.end, close);
		const label = findLabel(content);
		if (label) content = content.slice(0, label.start) + content.slice(label.end);
		const recipient = tag.attributes ? attribute(tag.attributes, 'recipient') : undefined;
		candidates.push({
			content: innerText(content.replace(/^[ \t]+/, '')),
			...(label && {
				reference: { label: label.label, ...(label.reason && { reason: label.reason }) }
			}),
			...(recipient && { metadata: { recipient } })
		});
		tag = nextTag(body, close + '</assistant>'.length, ['assistant']);
	}
	return candidates;
}

/** Splits an xml block into top-level turns and comparisons, in order. */
export function parseBlock(xml: string, line: number, issues: ImportIssue[]): BlockNode[] {
	const nodes: BlockNode[] = [];
	for (let tag = nextTag<Tag>(xml, 0, TURN_TAGS); tag;) {
		const closing = `</${tag.name}>`;
		const close = xml.indexOf(closing, tag.end);
		if (close < 0) {
			issues.push({
				line,
				path: `<${tag.name}>`,
				message: `The <${tag.name}> tag is never closed.`
			});
			break;
		}
		const body = xml.slice(tag.end, close);
		if (tag.name === 'comparison') {
			nodes.push({ kind: 'comparison', candidates: parseCandidates(body, line, issues) });
		} else {
			nodes.push({ kind: 'turn', role: tag.name, content: innerText(body) });
		}
		tag = nextTag<Tag>(xml, close + closing.length, TURN_TAGS);
	}
	return nodes;
}
