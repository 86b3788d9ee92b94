/**
 * The one seeded PRNG (mulberry32): uniform floats in [0, 1), identical across runs and
 * platforms. Used wherever a result must be reproducible: bootstrap intervals, the per-researcher
 * response order, the demo's noise.
 */
export function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A Fisher-Yates shuffle driven by `random`; returns a new array. */
export function shuffle<T>(values: readonly T[], random: () => number): T[] {
	const out = [...values];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}
