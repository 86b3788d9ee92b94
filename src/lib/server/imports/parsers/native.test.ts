import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../limits';
import { parseNativeLine } from './native';

describe('parseNativeLine', () => {
	it('names the field and the limit in its messages', () => {
		const { issues } = parseNativeLine(
			'{"trait":"t","prompt":"p","responses":[{"content":"a"}]}',
			7,
			DEFAULT_LIMITS
		);
		expect(issues).toEqual([
			{ line: 7, path: 'responses', message: 'responses needs at least 2 responses' }
		]);
		const missing = parseNativeLine('{"prompt":"p","responses":[]}', 2, DEFAULT_LIMITS).issues;
		expect(missing.map((i) => i.path)).toContain('trait');
	});
});
