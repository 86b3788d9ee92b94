import { fileURLToPath } from 'node:url';

/** A file in tests/fixtures/. */
export function fixturePath(name: string): string {
	return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}
