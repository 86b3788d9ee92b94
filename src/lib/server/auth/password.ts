import { hash, verify } from '@node-rs/argon2';
import { DomainError } from '../errors';

import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../password-rules';

// OWASP's recommended argon2id settings (19 MiB, 2 passes, 1 lane).
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 };

export function checkPasswordStrength(password: string, field = 'password'): void {
	if (password.length < MIN_PASSWORD_LENGTH) {
		throw new DomainError(`Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`, field);
	}
	if (password.length > MAX_PASSWORD_LENGTH) {
		throw new DomainError(`Passwords can have at most ${MAX_PASSWORD_LENGTH} characters.`, field);
	}
}

export function hashPassword(password: string): Promise<string> {
	// @node-rs/argon2 uses argon2id by default; the encoded hash records the algorithm.
	return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real check, so that an unknown username cannot be told apart from
 * a wrong password by how long the answer takes.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
	dummyHash ??= hashPassword('dummy password that matches nothing');
	await verifyPassword(await dummyHash, password);
	return false;
}
