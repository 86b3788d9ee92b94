import { describe, expect, it } from 'vitest';
import { importOptionsFromQuery } from './query';

const options = (query: string, contentDisposition?: string) =>
	importOptionsFromQuery(new URLSearchParams(query), 1, contentDisposition);

describe('importOptionsFromQuery', () => {
	it('takes numbers written in decimal digits only', () => {
		expect(options('constitution=c&overlap=16&scale=5').options?.settings).toEqual({
			overlap: 16,
			scalePoints: 5
		});
		for (const bad of ['0x10', '1e1', '16.0', '+16', '-1', '0b11', 'Infinity', ' 1 6']) {
			expect(options(`constitution=c&overlap=${encodeURIComponent(bad)}`).error, bad).toMatch(
				/^overlap: /
			);
			expect(options(`constitution=c&scale=${encodeURIComponent(bad)}`).error, bad).toMatch(
				/^scale: /
			);
		}
	});

	it('names the constitution after the file the client names, else requires one', () => {
		expect(options('filename=answers.jsonl').options?.fileName).toBe('answers.jsonl');
		expect(options('fileName=answers.jsonl').options?.fileName).toBe('answers.jsonl');
		expect(options('', 'attachment; filename="round 2.jsonl"').options?.fileName).toBe(
			'round 2.jsonl'
		);
		expect(options('', "attachment; filename*=UTF-8''caf%C3%A9.jsonl").options?.fileName).toBe(
			'café.jsonl'
		);
		// A path sent as a name keeps only its last part.
		expect(options('filename=..%2F..%2Fetc%2Fpasswd.jsonl').options?.fileName).toBe('passwd.jsonl');
		expect(options('constitution=Mine').options?.constitution).toBe('Mine');
		const missing = options('batch=b');
		expect(missing.error).toMatch(/constitution/);
		expect(missing.error).toMatch(/filename/);
		expect(options('filename=.jsonl').error).toMatch(/constitution/);
	});

	it('replaces invalid UTF-8 only when asked', () => {
		expect(options('constitution=c').options?.replaceInvalidUtf8).toBeUndefined();
		expect(options('constitution=c&replace_invalid_utf8=true').options?.replaceInvalidUtf8).toBe(
			true
		);
	});

	it('opens the batch at once only when asked, with the same yes/no words as the other flags', () => {
		expect(options('constitution=c').options?.open).toBeUndefined();
		for (const yes of ['true', '1', 'on', 'yes']) {
			expect(options(`constitution=c&open=${yes}`).options?.open, yes).toBe(true);
		}
		for (const no of ['false', '0', 'off', 'no']) {
			expect(options(`constitution=c&open=${no}`).options?.open, no).toBe(false);
		}
		expect(options('constitution=c&open=maybe').error).toMatch(/^open: /);
	});
});
