/** Linear-interpolation quantile of sorted values (the common "type 7" definition). */
export function quantile(sorted: readonly number[], q: number): number | null {
	if (sorted.length === 0) return null;
	const at = (sorted.length - 1) * q;
	const low = Math.floor(at);
	const high = Math.min(low + 1, sorted.length - 1);
	return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}
