export {
	agreementReport,
	alphaFromPairCells,
	alphaFromRatings,
	createAgreementAccumulator,
	forEachPairCell,
	krippendorffAlpha,
	krippendorffAlphaFromUnits,
	leaveOneOutAlpha,
	unitPairCells,
	type AgreementReport,
	type AlphaMetric,
	type CoderId,
	type LeaveOneOutAlpha,
	type PairCell,
	type Rating,
	type UnitId
} from './krippendorff';
export { kendallTauB, kendallW, toAverageRanks, type RankDirection } from './kendall';
export {
	AlphaSample,
	bootstrapAlpha,
	bootstrapAlphaSteps,
	type AlphaBootstrapOptions,
	type AlphaInterval,
	type AlphaItem
} from './alpha-bootstrap';
export {
	bootstrapBradleyTerry,
	DEFAULT_BRADLEY_TERRY_PRIOR,
	fitBradleyTerry,
	winRates,
	type BootstrapOptions,
	type BradleyTerryFit,
	type BradleyTerryOptions,
	type Comparison,
	type StrengthInterval,
	type WinRecord
} from './bradley-terry';
export {
	bootstrapBradleyTerryByItem,
	type DifferenceInterval,
	type ItemBootstrap,
	type ItemBootstrapOptions
} from './item-bootstrap';
export {
	buildPairs,
	computeConsensus,
	itemAgreement,
	itemSpread,
	spreadFromTallies,
	type ConsensusDecision,
	type ConsensusEntry,
	type ConsensusItem,
	type ItemSpread,
	type PreferencePair,
	type ConsensusReview,
	type ResponseId
} from './consensus';
export * from './readings';
export { binomialTest, poissonBinomialTest, type ExactTest, type TrialGroup } from './binomial';
export { bootstrapMeanInterval, type MeanInterval, type MeanIntervalOptions } from './bootstrap';
export {
	firstShownOutcome,
	PositionTally,
	type FirstShownOutcome,
	type PositionBias
} from './position-bias';
export {
	computeGoldAccuracy,
	goldPairs,
	goldReading,
	scoreGoldReview,
	wilsonInterval,
	GOLD_ACCURACY_WARNING,
	MIN_GOLD_ITEMS,
	type GoldAccuracy,
	type GoldOrder,
	type GoldReading,
	type GoldReview
} from './gold-accuracy';
