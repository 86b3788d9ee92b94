import { describe, expect, it } from 'vitest';
import { checkPasswordStrength, hashPassword, verifyPassword } from './password';

describe('passwords', () => {
	it('hashes with argon2id and verifies', async () => {
		const hash = await hashPassword('a long enough password');
		expect(hash.startsWith('$argon2id$')).toBe(true);
		expect(await verifyPassword(hash, 'a long enough password')).toBe(true);
		expect(await verifyPassword(hash, 'a long enough passworD')).toBe(false);
		expect(await verifyPassword('not a hash', 'x')).toBe(false);
	});

	it('refuses short passwords with a clear message', () => {
		expect(() => checkPasswordStrength('short')).toThrow('at least 10 characters');
		expect(() => checkPasswordStrength('0123456789')).not.toThrow();
	});
});
