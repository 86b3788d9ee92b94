import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formCheckbox, parseForm } from './forms';

function form(entries: [string, string][]): FormData {
	const data = new FormData();
	for (const [key, value] of entries) data.append(key, value);
	return data;
}

describe('formCheckbox', () => {
	it('reads a ticked checkbox, a hidden toggle, a query flag and a JSON boolean', () => {
		for (const yes of ['on', 'true', 'TRUE', '1', 'yes', true]) {
			expect(formCheckbox.parse(yes), String(yes)).toBe(true);
		}
		for (const no of ['off', 'false', '0', 'no', '', false]) {
			expect(formCheckbox.parse(no), String(no)).toBe(false);
		}
	});

	it('refuses anything else, and leaves a missing field to the default the caller chose', () => {
		expect(formCheckbox.safeParse('maybe').success).toBe(false);
		expect(formCheckbox.safeParse(2).success).toBe(false);
		const schema = z.object({
			blind: formCheckbox.default(true),
			calibration: formCheckbox.default(false),
			confirm: formCheckbox.optional()
		});
		expect(schema.parse({})).toEqual({ blind: true, calibration: false });
	});

	it('reads an unticked checkbox in a form as false', () => {
		const schema = z.object({ name: z.string(), archived: formCheckbox.default(false) });
		expect(parseForm(schema, form([['name', 'x']])).data).toEqual({ name: 'x', archived: false });
		expect(
			parseForm(
				schema,
				form([
					['name', 'x'],
					['archived', 'on']
				])
			).data
		).toEqual({
			name: 'x',
			archived: true
		});
		const failed = parseForm(
			schema,
			form([
				['name', 'x'],
				['archived', 'sometimes']
			])
		);
		expect(failed.failure?.data.errors.archived).toMatch(/yes or no/);
	});
});
