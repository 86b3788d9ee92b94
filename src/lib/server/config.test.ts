import { describe, expect, it } from 'vitest';
import { assertValidConfiguration, configurationProblems, numericSetting } from './config';

describe('numeric configuration', () => {
	it('accepts nothing set, empty values and sensible numbers', () => {
		expect(configurationProblems({})).toEqual([]);
		expect(
			configurationProblems({
				PORT: '0',
				SESSION_IDLE_DAYS: '0.5',
				LOGIN_MAX_FAILURES_PER_USER: ' 3 ',
				IMPORT_MAX_FILE_MB: '',
				MAX_BODY_KB: '64'
			})
		).toEqual([]);
	});

	it('names each bad value and what it should be', () => {
		expect(
			configurationProblems({
				LOGIN_MAX_FAILURES_PER_USER: 'five',
				LOGIN_MAX_FAILURES_PER_ADDRESS: '0',
				PORT: '70000',
				SESSION_IDLE_DAYS: '0',
				IMPORT_MAX_RESPONSES: '2.5',
				REVIEW_LEASE_MINUTES: 'Infinity'
			})
		).toEqual([
			'SESSION_IDLE_DAYS must be a number above 0 (it is "0").',
			'LOGIN_MAX_FAILURES_PER_USER must be a whole number of at least 1 (it is "five").',
			'LOGIN_MAX_FAILURES_PER_ADDRESS must be a whole number of at least 1 (it is "0").',
			'PORT must be a whole number from 0 to 65535 (it is "70000").',
			'REVIEW_LEASE_MINUTES must be a number above 0 (it is "Infinity").',
			'IMPORT_MAX_RESPONSES must be a whole number of at least 2 (it is "2.5").'
		]);
	});

	it('refuses to start with all the problems in one message', () => {
		expect(() => assertValidConfiguration({ MAX_BODY_KB: 'lots', PORT: '-1' })).toThrow(
			/cannot start:\n {2}MAX_BODY_KB must be .*\n {2}PORT must be/
		);
		expect(() => assertValidConfiguration({})).not.toThrow();
	});

	it('reads a setting, or its default when unset', () => {
		expect(numericSetting('MAX_BODY_KB', {})).toBe(1024);
		expect(numericSetting('LOGIN_MAX_DELAY_MINUTES', { LOGIN_MAX_DELAY_MINUTES: '2.5' })).toBe(2.5);
		expect(() =>
			numericSetting('LOGIN_MAX_FAILURES_PER_USER', { LOGIN_MAX_FAILURES_PER_USER: 'x' })
		).toThrow('LOGIN_MAX_FAILURES_PER_USER must be');
	});
});
