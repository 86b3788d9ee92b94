/**
 * Changes to a ranking, best first, where ties are groups of ids. The ranking list's buttons,
 * its drag and drop and the review page's keys all make the same moves through these.
 */

type Flat = { order: number[]; ties: Set<number> };

/** The ranking as one order plus the ids tied with the one above them. */
function flatten(groups: number[][]): Flat {
	return {
		order: groups.flat(),
		ties: new Set(groups.flatMap((group) => group.slice(1)))
	};
}

function rebuild({ order, ties }: Flat): number[][] {
	const out: number[][] = [];
	for (const id of order) {
		if (ties.has(id) && out.length) out[out.length - 1].push(id);
		else out.push([id]);
	}
	return out;
}

/** Swaps `id` with its neighbour `delta` places away; both leave their ties. Null at an end. */
export function moveInRanking(groups: number[][], id: number, delta: -1 | 1): number[][] | null {
	const flat = flatten(groups);
	const index = flat.order.indexOf(id);
	const target = index + delta;
	if (index < 0 || target < 0 || target >= flat.order.length) return null;
	[flat.order[index], flat.order[target]] = [flat.order[target], flat.order[index]];
	flat.ties.delete(flat.order[index]);
	flat.ties.delete(flat.order[target]);
	// Ties never start at the top.
	flat.ties.delete(flat.order[0]);
	return rebuild(flat);
}

/** Ties `id` with the one above it, or unties it. Null for the first, which has none above. */
export function toggleTieInRanking(groups: number[][], id: number): number[][] | null {
	const flat = flatten(groups);
	const index = flat.order.indexOf(id);
	if (index <= 0) return null;
	if (flat.ties.has(id)) flat.ties.delete(id);
	else flat.ties.add(id);
	return rebuild(flat);
}

/** Puts `id` at position `index` of the order (a drop), out of any tie. */
export function dropInRanking(groups: number[][], id: number, index: number): number[][] {
	const flat = flatten(groups);
	flat.order = flat.order.filter((other) => other !== id);
	flat.order.splice(index, 0, id);
	flat.ties.delete(id);
	flat.ties.delete(flat.order[0]);
	return rebuild(flat);
}

/** Where `id` stands, in words for a live region: "Response B: rank 1, tied with A." */
export function describeRank(groups: number[][], id: number, letterOf: (id: number) => string) {
	let rank = 1;
	for (const group of groups) {
		if (group.includes(id)) {
			const others = group.filter((other) => other !== id).map(letterOf);
			const tie = others.length ? `, tied with ${others.join(' and ')}` : '';
			return `Response ${letterOf(id)}: rank ${rank}${tie}.`;
		}
		rank += group.length;
	}
	return `Response ${letterOf(id)} is not ranked.`;
}
