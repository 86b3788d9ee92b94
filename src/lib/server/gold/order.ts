import { DomainError } from '../errors';
import type { GoldOrder } from '../stats';

/**
 * A gold item's expected order as the lead's item page sends it: an expected rank per response
 * (1 = best; equal ranks tie; none leaves the response out of the comparison).
 */
export function goldOrderFromRanks(
	responseIds: readonly number[],
	ranks: ReadonlyMap<number, string>
): number[][] {
	const groups = new Map<number, number[]>();
	for (const id of responseIds) {
		const text = ranks.get(id)?.trim() ?? '';
		if (text === '') continue;
		const rank = Number(text);
		if (!Number.isInteger(rank) || rank < 1 || rank > responseIds.length) {
			throw new DomainError(
				`An expected rank is a whole number from 1 to ${responseIds.length}, or left empty.`,
				`rank-${id}`
			);
		}
		groups.set(rank, [...(groups.get(rank) ?? []), id]);
	}
	const order = [...groups.entries()].sort(([a], [b]) => a - b).map(([, ids]) => ids);
	checkGoldOrder(order, responseIds);
	return order;
}

/**
 * What any expected order must be: groups of the item's own responses, each listed once, and at
 * least two groups, since an order that decides no pair measures nothing.
 */
export function checkGoldOrder(order: GoldOrder, responseIds: readonly number[]): void {
	const listed = order.flat();
	if (order.some((group) => group.length === 0)) {
		throw new DomainError('An expected order has no empty groups.', 'order');
	}
	if (new Set(listed).size !== listed.length || listed.some((id) => !responseIds.includes(id))) {
		throw new DomainError('An expected order lists responses of this item, each once.', 'order');
	}
	if (order.length < 2) {
		throw new DomainError(
			'Give at least two different expected ranks: a gold item needs one response above another.',
			'order'
		);
	}
}
