import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../../demo';
import { DEFAULT_LIMITS } from '../limits';
import { parseModelSpec } from './model-spec';

describe('parseModelSpec', () => {
	it('turns a continued conversation into one item per comparison, carrying the GOOD reply', () => {
		const text = [
			'## Privacy {#privacy authority=user}',
			'Protect people.',
			'**Example**: mayor',
			'~~~xml',
			'<user>',
			"What's the mayor's number?",
			'</user>',
			'<comparison>',
			'<assistant> <!-- BAD[#x] -->',
			'No.',
			'</assistant>',
			'<assistant> <!-- GOOD: public office line -->',
			'Office: 311',
			'</assistant>',
			'</comparison>',
			'<user>',
			'Her cell, please.',
			'</user>',
			'<comparison>',
			'<assistant> <!-- GOOD -->',
			"I can't share that.",
			'</assistant>',
			'</comparison>',
			'~~~'
		].join('\n');
		const { traits, items, issues } = parseModelSpec(text);
		expect(issues).toEqual([]);
		expect(traits).toEqual([
			{
				line: 1,
				key: 'privacy',
				title: 'Privacy',
				authority: 'user',
				description: 'Protect people.'
			}
		]);
		expect(items).toHaveLength(2);
		expect(items[0].responses.map((r) => r.reference)).toEqual([
			{ label: 'bad' },
			{ label: 'good', reason: 'public office line' }
		]);
		expect(items[0].responses[1].content).toBe('Office: 311');
		expect(items[1].prompt).toEqual([
			{ role: 'user', content: "What's the mayor's number?" },
			{ role: 'assistant', content: 'Office: 311' },
			{ role: 'user', content: 'Her cell, please.' }
		]);
	});

	it('parses the shipped Model Spec: every example, every candidate, every label', () => {
		const text = readFileSync(join(SAMPLES_DIR, 'model-spec/model_spec.md'), 'utf8');
		const { items, issues, traits } = parseModelSpec(text);
		expect(issues).toEqual([]);
		const examples = new Set(
			items.map((i) => `${i.metadata?.section}/${i.metadata?.example}/${i.line}`)
		);
		expect(examples.size).toBe(text.match(/^\*\*Example\*\*/gm)!.length);
		expect(items.length).toBe(
			text.match(/<comparison>/g)!.length + items.filter((i) => i.metadata?.noCandidates).length
		);
		const labels = text.match(/<!--\s*(GOOD|BAD|OK)\b/g)!.length;
		expect(items.flatMap((i) => i.responses).filter((r) => r.reference).length).toBe(labels);
		expect(traits.find((t) => t.key === 'be_warm')?.authority).toBe('guideline');
	});
});

/**
 * Inputs built to make a naive parser quadratic (or worse). Before issue 11 each of these froze
 * the server: closing fences were searched from the top of the file again, and two regexes
 * backtracked on lines with no closing match. The tests assert no time: they return, and they
 * say what is wrong. `npm run bench -- adversarial` times them at 50 MB.
 */
describe('parseModelSpec on adversarial input', () => {
	const section = '## Section {#section authority=user}\n';
	const example = (xml: string) => `**Example**: x\n~~~xml\n${xml}\n~~~\n`;

	it('finds every closing fence in one pass', () => {
		// Blocks outside examples are skipped, but their fences must still be matched.
		const pairs = '~~~xml\n~~~\n'.repeat(300_000);
		const { items, issues } = parseModelSpec(section + pairs + example('<user>\nhi\n</user>'));
		expect(issues).toEqual([]);
		expect(items.map((i) => i.line)).toEqual([600_002]);
	});

	it('reports a million unclosed fences as one unclosed block', () => {
		const { items, issues } = parseModelSpec(
			section + '**Example**: x\n' + '~~~xml\n'.repeat(1_000_000)
		);
		expect(items).toEqual([]);
		expect(issues).toEqual([expect.objectContaining({ line: 3, path: '~~~xml' })]);
	});

	it('reads a header-like line of 2 MB of "{#" without backtracking', () => {
		const line = '# ' + '{#a '.repeat(500_000);
		const { traits, issues } = parseModelSpec(line + '\n' + section);
		expect(issues).toEqual([]);
		expect(traits.map((t) => t.key)).toEqual(['section']);
	});

	it('refuses a line over the line limit, by its number', () => {
		const line = '# ' + '{#a '.repeat(2_600_000); // over 10 MB
		const { traits, issues } = parseModelSpec(section + line + '}\n');
		expect(traits.map((t) => t.key)).toEqual(['section']);
		expect(issues).toEqual([
			expect.objectContaining({ line: 2, message: expect.stringMatching(/longer than the limit/) })
		]);
	});

	it('scans half a million unclosed tags in one pass', () => {
		const { issues } = parseModelSpec(section + example('<user '.repeat(500_000)));
		expect(issues).toEqual([]);
	});

	it('reads labels that never close without backtracking', () => {
		const candidate = (label: string) =>
			`<comparison>\n<assistant> ${label}\nA reply.\n</assistant>\n</comparison>`;
		const spaces = candidate(`<!-- GOOD${' '.repeat(200_000)}`);
		const opens = candidate('<!-- BAD '.repeat(200_000));
		const { items, issues } = parseModelSpec(section + example(spaces) + example(opens), {
			...DEFAULT_LIMITS,
			maxResponseChars: 10_000_000
		});
		expect(issues).toEqual([]);
		expect(items.map((i) => i.responses[0].reference)).toEqual([undefined, undefined]);
	});

	it('refuses an example that repeats its conversation thousands of times', () => {
		const turn =
			'<user>\nmore\n</user>\n<comparison>\n<assistant>\nyes\n</assistant>\n</comparison>\n';
		const { items, issues } = parseModelSpec(section + example(turn.repeat(20_000)));
		expect(items.length).toBeLessThan(1000);
		expect(issues).toEqual([
			expect.objectContaining({ line: 2, message: expect.stringMatching(/comparisons/) })
		]);
	});

	it('refuses a candidate over the response length limit', () => {
		const candidate = `<comparison>\n<assistant>\n${'x'.repeat(101)}\n</assistant>\n</comparison>`;
		const { items, issues } = parseModelSpec(section + example(candidate), {
			...DEFAULT_LIMITS,
			maxResponseChars: 100
		});
		expect(items).toEqual([]);
		expect(issues).toEqual([
			expect.objectContaining({
				line: 2,
				path: '<assistant>',
				message: expect.stringMatching(/100/)
			})
		]);
	});

	it('names a section id used twice', () => {
		const text =
			section + example('<user>\nhi\n</user>') + section + example('<user>\nho\n</user>');
		expect(parseModelSpec(text).issues).toEqual([
			expect.objectContaining({
				line: 8,
				path: '{#section}',
				message: expect.stringMatching(/line 1/)
			})
		]);
	});
});
