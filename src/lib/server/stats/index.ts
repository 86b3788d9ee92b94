export {
	agreementReport,
	alphaFromRatings,
	createAgreementAccumulator,
	krippendorffAlpha,
	krippendorffAlphaFromUnits,
	leaveOneOutAlpha,
	type AgreementReport,
	type AlphaMetric,
	type CoderId,
	type LeaveOneOutAlpha,
	type Rating,
	type UnitId
} from './krippendorff';
export { kendallTauB, kendallW, toAverageRanks, type RankDirection } from './kendall';
export {
	bootstrapBradleyTerry,
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
	buildPairs,
	computeConsensus,
	itemAgreement,
	itemSpread,
	type ConsensusDecision,
	type ConsensusEntry,
	type ConsensusItem,
	type ItemSpread,
	type PreferencePair,
	type ConsensusReview,
	type ResponseId
} from './consensus';
export { describeAlpha, describeConcordance, describeReferenceRate, describeTau } from './readings';
export { binomialTest, poissonBinomialTest, type ExactTest, type TrialGroup } from './binomial';
export { bootstrapMeanInterval, type MeanInterval, type MeanIntervalOptions } from './bootstrap';
export {
	firstShownOutcome,
	PositionTally,
	type FirstShownOutcome,
	type PositionBias
} from './position-bias';
