import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect';

const DATA = new URL('../../../../../shared/data/', import.meta.url);

function head(path: string, bytes = 4096): string {
	return readFileSync(new URL(path, DATA), 'utf8').slice(0, bytes);
}

describe('detectFormat', () => {
	it('recognises Model Spec markdown by its section headers', () => {
		expect(detectFormat('# Overview {#overview}\n\nText')).toBe('model-spec');
		expect(detectFormat('Intro\n\n## Be warm {#be_warm authority=guideline}\n')).toBe('model-spec');
		expect(detectFormat('# Notes\n\nplain', 'notes.md')).toBe('model-spec');
		expect(detectFormat('# Notes\n\nplain')).toBeNull();
	});

	it('recognises an Open Character Training array', () => {
		expect(detectFormat('[\n  {\n    "trait": "I am kind.",\n    "questions": ["Hi"]')).toBe('oct');
		expect(detectFormat('[{"trait": "I am kind.", "questions": []}]')).toBe('oct');
		expect(detectFormat('[1, 2, 3]')).toBeNull();
	});

	it('recognises JSONL formats by their fields', () => {
		expect(detectFormat('{"trait":"x","questions":[],"additional_questions":[]}\n')).toBe('oct');
		expect(detectFormat('{"prompt":"Q","chosen":"A","rejected":"B"}\n{')).toBe('trl');
		expect(detectFormat('{"chosen":[{"role":"user","content":"Q"}],"rejected":[]}')).toBe('trl');
		expect(detectFormat('{"trait":"warm","prompt":"Hi","responses":[]}\n')).toBe('native');
		expect(detectFormat('{"something":"else"}')).toBeNull();
	});

	it('reads keys from a first line cut short', () => {
		expect(detectFormat('{"trait":"warm","prompt":"Hi","responses":[{"content":"A lo')).toBe(
			'native'
		);
		expect(detectFormat('{"prompt": "Q", "chosen": "A very long ans')).toBeNull();
		expect(detectFormat('{"prompt": "Q", "chosen": "A", "rejected": "B very long ans')).toBe('trl');
	});

	it('ignores a byte order mark and leading blank lines', () => {
		expect(detectFormat('\ufeff\n\n{"chosen":"A b","rejected":"A c"}')).toBe('trl');
	});

	it('gives up on empty or unknown input', () => {
		expect(detectFormat('')).toBeNull();
		expect(detectFormat('hello world')).toBeNull();
	});

	it('recognises the shipped files', () => {
		expect(detectFormat(head('model-spec/model_spec.md'), 'model_spec.md')).toBe('model-spec');
		const handWritten = readdirSync(new URL('open-character-training/hand-written/', DATA));
		for (const name of handWritten.filter((file) => file.endsWith('.txt'))) {
			expect(detectFormat(head(`open-character-training/hand-written/${name}`), name)).toBe('oct');
		}
		const fewShot = readdirSync(new URL('open-character-training/few-shot/', DATA));
		for (const name of fewShot.filter((file) => file.endsWith('.jsonl'))) {
			expect(detectFormat(head(`open-character-training/few-shot/${name}`), name)).toBe('oct');
		}
	});
});
