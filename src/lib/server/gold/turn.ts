import { mulberry32 } from '$lib/prng';

/** The highest gold rate a batch may have: above it, gold would crowd out the real work. */
export const GOLD_RATE_MAX = 0.5;
export const DEFAULT_GOLD_RATE = 0.05;

/**
 * Whether a researcher's next claim in a batch should be a gold item: true with probability
 * `rate`, drawn from a seed of (researcher, batch, reviews done). The same claim asked again
 * (a reload, a second tab) gets the same answer, and tests can count gold claims exactly.
 */
export function isGoldTurn(rate: number, userId: number, batchId: number, done: number): boolean {
	if (rate <= 0) return false;
	return mulberry32(seedOf(userId, batchId, done))() < rate;
}

/** FNV-1a over the three numbers: neighbouring triples get unrelated seeds. */
function seedOf(...values: number[]): number {
	let hash = 0x811c9dc5;
	for (const value of values) {
		for (let shift = 0; shift < 32; shift += 8) {
			hash = Math.imul(hash ^ ((value >>> shift) & 0xff), 0x01000193) >>> 0;
		}
	}
	return hash;
}
