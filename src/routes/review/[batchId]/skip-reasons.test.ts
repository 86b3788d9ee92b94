import { describe, expect, it } from 'vitest';
import { skipReason } from './skip-reasons';

describe('skipReason', () => {
	it('records the chosen reason, with details after it when there are any', () => {
		expect(skipReason('Outside my expertise', '')).toBe('Outside my expertise');
		expect(skipReason('Outside my expertise', ' tax law ')).toBe('Outside my expertise: tax law');
	});

	it('takes the researcher’s own words for Other, and nothing without them', () => {
		expect(skipReason('Other', 'duplicate of item 4')).toBe('duplicate of item 4');
		expect(skipReason('Other', '  ')).toBe('');
		expect(skipReason('', '')).toBe('');
	});
});
