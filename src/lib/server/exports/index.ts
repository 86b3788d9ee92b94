/**
 * Exports: reviewed batches turned into training files, each with an immutable record and a
 * dataset card. Routes and scripts come in through here.
 */
export {
	EXPORT_FORMATS,
	EXPORT_OUTPUTS,
	FORMAT_LABELS,
	OUTPUT_LABELS,
	PAIR_STRATEGIES,
	STRATEGY_LABELS,
	type ExportFormat,
	type ExportFormValues,
	type PairStrategy
} from '$lib/export-options';
export { resolveBatchNames, resolveExportBatches, type ExportBatch } from './batches';
export {
	describeConflictShare,
	describeItemIds,
	MIN_CONFLICT_PAIRS,
	type CheckResult,
	type ConflictReport,
	type Screening
} from './checks';
export { removeExportLeftovers } from './cleanup';
export { exportCardResponse, exportFileResponse } from './download';
export { exportContentType, exportsDir, openExportFile } from './files';
export { datasetInfoEntry, isLlamaFactoryFormat } from './formats';
export {
	exportOptionsFromForm,
	exportOptionsFields,
	exportOptionsSchema,
	type ExportOptions,
	type ExportOptionsInput
} from './options';
export { getExport, isBatchExported, listExports, type ExportCounts } from './records';
export { previewExport, runExport, type ExportPreview, type ExportProgress } from './run';
export { describeDrops, type DropReason } from './select';
export { extractTar } from './tar';
export { verifyExport, type ExportCheck } from './verify';
