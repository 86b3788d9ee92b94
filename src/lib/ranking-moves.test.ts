import { describe, expect, it } from 'vitest';
import { describeRank, dropInRanking, moveInRanking, toggleTieInRanking } from './ranking-moves';

const letter = (id: number) => String.fromCharCode(64 + id);

describe('ranking moves', () => {
	it('swaps a response with its neighbour, out of any tie', () => {
		expect(moveInRanking([[1], [2, 3]], 3, -1)).toEqual([[1], [3], [2]]);
		expect(moveInRanking([[1], [2], [3]], 2, -1)).toEqual([[2], [1], [3]]);
		expect(moveInRanking([[1, 2], [3]], 2, 1)).toEqual([[1], [3], [2]]);
	});

	it('refuses to move past either end', () => {
		expect(moveInRanking([[1], [2]], 1, -1)).toBeNull();
		expect(moveInRanking([[1], [2]], 2, 1)).toBeNull();
	});

	it('never leaves a tie at the top', () => {
		expect(moveInRanking([[1, 2], [3]], 3, -1)).toEqual([[1], [3], [2]]);
		expect(moveInRanking([[1, 2]], 2, -1)).toEqual([[2], [1]]);
	});

	it('ties with the one above and unties again', () => {
		expect(toggleTieInRanking([[1], [2], [3]], 2)).toEqual([[1, 2], [3]]);
		expect(toggleTieInRanking([[1, 2], [3]], 2)).toEqual([[1], [2], [3]]);
		expect(toggleTieInRanking([[1], [2]], 1)).toBeNull();
	});

	it('drops a response at a position, out of its tie', () => {
		expect(dropInRanking([[1], [2, 3]], 3, 0)).toEqual([[3], [1], [2]]);
		expect(dropInRanking([[1, 2], [3]], 1, 2)).toEqual([[2], [3], [1]]);
	});

	it('describes where a response stands', () => {
		expect(describeRank([[1], [2, 3]], 3, letter)).toBe('Response C: rank 2, tied with B.');
		expect(describeRank([[2], [1]], 1, letter)).toBe('Response A: rank 2.');
	});
});
