/**
 * The report's JSON, as scripts read it. Keys are snake_case, like `generated_at`: the report
 * is read by scripts in any language, and its shape is documented field by field in the README.
 * Every figure carries what it rests on (`n`), the minimum below which it is not read
 * (`minimum`), and `status` / `reading`, which say "too-few" / "too few to judge" in words
 * below that minimum rather than leaving a bare number to be trusted.
 */

/** Bumped when a field changes meaning or goes; new fields do not bump it. */
export const REPORT_VERSION = 1;

/** What every figure's reading says below its minimum. */
export const TOO_FEW = 'too few to judge';

/** A 95% percentile bootstrap interval; null bounds when it could not be drawn. */
export type ReportInterval = { lower: number | null; upper: number | null; level: number };

/** The page's reading: its status key and its sentence, or "too few to judge". */
export type ReportReading = { status: string; reading: string };

export type AlphaFigure = ReportReading & { value: number | null };

export type AlphaByTrait = {
	key: string;
	n: { units: number; values: number };
	ordinal: AlphaFigure;
	interval: AlphaFigure;
};

export type LeaveOneOutFigure = ReportReading & {
	reviewer: string;
	/** Ordinal alpha of everyone else. */
	value: number | null;
	/** value − the overall ordinal alpha, only where it can be read. */
	change: number | null;
	n: { shared: number; others_units: number };
};

export type ReportAlpha = {
	n: { units: number; values: number };
	minimum: { units: number; values: number };
	ordinal: AlphaFigure & { interval: ReportInterval };
	interval: AlphaFigure & { interval: ReportInterval };
	/** What the bootstrap intervals rest on: items with a unit scored twice, and resamples. */
	bootstrap: { items: number; resamples: number };
	by_trait: AlphaByTrait[];
	leave_one_out: {
		metric: 'ordinal';
		minimum: { shared: number; others_units: number; rise: number };
		reviewers: LeaveOneOutFigure[];
	};
};

export type MeanFigure = ReportReading & { value: number | null; n: { items: number } };

export type ReportConcordance = MeanFigure & {
	minimum: { items: number };
	by_trait: (MeanFigure & { key: string })[];
};

export type TauFigure = ReportReading & {
	value: number | null;
	interval: ReportInterval;
	n: { items: number };
};

export type ReportJudgeTau = TauFigure & {
	/** Items whose responses carry an AI rank or score. */
	items_with_judge: number;
	minimum: { items: number };
	by_trait: (TauFigure & { key: string })[];
};

export type ReferenceFigure = ReportReading & {
	/** Share of GOOD × BAD pairs the consensus puts GOOD above. */
	value: number | null;
	n: { pairs: number; items: number };
	above: number;
	tied: number;
	below: number;
};

export type ReportReference = ReferenceFigure & {
	minimum: { pairs: number; items: number };
	by_trait: (ReferenceFigure & { key: string })[];
};

export type BiasFigure = ReportReading & {
	/** Share of the judgements the first-shown response won. */
	value: number | null;
	chance: number | null;
	wins: number;
	n: { trials: number };
	p_value: number | null;
	/** "too few to judge", "no sign of a position bias", "favours the response shown first"… */
	verdict: string;
	tied_top: number;
	incomplete: number;
	/** Imported reviews, left out: the order they were shown in is unknown. */
	unknown_order: number;
};

export type ReportPositionBias = {
	minimum: { trials: number };
	reviewers: BiasFigure;
	by_reviewer: (BiasFigure & { reviewer: string })[];
	/** Null unless the import gave the order the judge was shown the responses in. */
	judge: BiasFigure | null;
};

export type GoldFigure = ReportReading & {
	reviewer: string;
	/** Share of the response pairs the expected orders decide that the reviewer ordered so. */
	value: number | null;
	/** Wilson's 95% score interval. */
	interval: ReportInterval;
	agreed: number;
	n: { items: number; pairs: number };
};

export type ReportGold = {
	/** The share of claims that hand out a gold item, while any is left. */
	rate: number;
	gold_items: number;
	minimum: { items: number };
	/** A judged accuracy below this reads "below threshold". */
	warning_below: number;
	by_reviewer: GoldFigure[];
};

export type BatchReport = {
	id: number;
	name: string;
	status: string;
	alpha: ReportAlpha;
	concordance: ReportConcordance;
	judge_tau: ReportJudgeTau;
	reference: ReportReference;
	position_bias: ReportPositionBias;
	gold: ReportGold;
};

export type ModelFigure = ReportReading & {
	model: string;
	strength: number;
	interval: ReportInterval;
	wins: number;
	games: number;
	win_rate: number;
	n: { items: number; games: number };
};

export type ReportModels = {
	/** The batches whose games are pooled, as on the Compare page. */
	batch_ids: number[];
	minimum: { items: number; games: number };
	settings: { samples: number; seed: number; prior: number };
	traits: { key: string; items: number; games: number; models: ModelFigure[] }[];
};

export type Report = {
	version: number;
	generated_at: string;
	/** True when reviewers are named by username (admins); false for pseudonyms. */
	reviewer_names: boolean;
	batches: BatchReport[];
	models: ReportModels;
};
