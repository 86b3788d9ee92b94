import { describe, expect, it } from 'vitest';
import { parseWholeNumber, wholeNumber, wholeNumberBetween } from './whole-number';

describe('whole numbers typed by people', () => {
	it('takes decimal digits, and nothing Number() would also take', () => {
		expect(parseWholeNumber('16')).toBe(16);
		expect(parseWholeNumber('007')).toBe(7);
		for (const bad of ['0x10', '1e1', '16.0', '+16', '-1', '0b11', 'Infinity', '', ' 16', '1 6']) {
			expect(parseWholeNumber(bad), bad).toBeNull();
			expect(wholeNumber().safeParse(bad).success, bad).toBe(bad === ' 16');
		}
	});

	it('checks the range after the digits', () => {
		expect(wholeNumberBetween(1, 50).parse('16')).toBe(16);
		expect(wholeNumberBetween(1, 50).safeParse('51').error?.issues[0].message).toBe(
			'must be 1 to 50'
		);
	});
});
