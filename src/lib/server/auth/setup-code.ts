import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/**
 * On an empty database, whoever reaches /setup first becomes admin. On the loopback address
 * that is whoever sits at the machine; on any other address it could be anyone on the network,
 * so there /setup also asks for a one-time code that only the server's console shows.
 */
let setupCode: string | null = null;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

type Env = Record<string, string | undefined>;

/** adapter-node listens on every interface when HOST is unset; a socket is reached via a proxy. */
export function listensOnLoopbackOnly(env: Env = process.env): boolean {
	if (env.SOCKET_PATH) return false;
	return LOOPBACK_HOSTS.has((env.HOST ?? '0.0.0.0').toLowerCase());
}

/** Called at start with whether any account exists; prints the code when one is needed. */
export function prepareSetupCode(hasUsers: boolean, env: Env = process.env): void {
	if (hasUsers || listensOnLoopbackOnly(env)) {
		setupCode = null;
		return;
	}
	const bytes = new Uint8Array(10);
	crypto.getRandomValues(bytes);
	setupCode = encodeBase32LowerCaseNoPadding(bytes);
	console.log(
		`First-run setup code: ${setupCode} (/setup asks for it before creating the first admin)`
	);
}

export function setupCodeRequired(): boolean {
	return setupCode !== null;
}

/** True when no code is needed, or `given` is the code. Compared in constant time. */
export function setupCodeMatches(given: string | undefined): boolean {
	if (setupCode === null) return true;
	const digest = (s: string) => sha256(new TextEncoder().encode(s.trim().toLowerCase()));
	return constantTimeEqual(digest(given ?? ''), digest(setupCode));
}
