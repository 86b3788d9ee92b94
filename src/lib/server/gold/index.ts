/**
 * Gold items: items whose expected order a lead knows, mixed into the ordinary queue at the
 * batch's gold rate, so that each reviewer's accuracy on them can be measured.
 */
export {
	batchGoldSummary,
	goldAccuracy,
	goldItemIds,
	readGoldSettings,
	type BatchGoldSummary,
	type ReviewerGoldAccuracy
} from './accuracy';
export { markGold, markGoldFromReferences, setGoldRate, unmarkGold } from './mark';
export { checkGoldOrder, goldOrderFromRanks } from './order';
export { DEFAULT_GOLD_RATE, GOLD_RATE_MAX, isGoldTurn } from './turn';
