/**
 * Content checks and conflicts between traits: what an export finds in the pairs it would write,
 * and leaves out when told to. Pure checks in content.ts and conflicts.ts; screen.ts applies
 * them item by item as an export streams.
 */
export { findPlaceholder, PLACEHOLDER_PATTERNS } from './placeholders';
export {
	checkResults,
	createCheckTally,
	ITEM_ID_CAP,
	pairFindings,
	runChecks,
	tallyPair,
	type CheckedPair,
	type CheckResult,
	type ItemIds
} from './content';
export {
	CONFLICT_LIST_CAP,
	createConflictFinder,
	findTraitConflicts,
	MIN_CONFLICT_PAIRS,
	rankItem,
	type ConflictReport,
	type Conflicts,
	type RankedItem,
	type TraitConflict
} from './conflicts';
export {
	collectConflicts,
	createScreen,
	screenItem,
	screeningReport,
	type Screen,
	type Screening
} from './screen';
export { describeConflictShare, describeItemIds, describeScreening } from './describe';
