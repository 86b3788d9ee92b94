/**
 * Imports: a file in one of the four formats becomes a batch (or, for Open Character Training,
 * a constitution), all or nothing: a file with a problem is reported whole and leaves nothing.
 *
 *   run.ts             the entry: file checks, format, then one of the readers below
 *   read-jsonl.ts      native and TRL JSONL, validated as they are written; fully checked if not clean
 *   read-documents.ts  the Model Spec and OCT, parsed in memory
 *   writer.ts          writes a batch in chunks, all or nothing, or a constitution
 *   batch-rows.ts      the rows of a batch being written: its start, heartbeat and last step
 *   chunks.ts          short immediate transactions that wait their turn, and their pacing
 *   leftovers.ts       removes a batch left `importing` by an import that died
 *   id-index.ts        the ids seen so far, for the duplicate check, off the JavaScript heap
 *   lines.ts           the one line reader, with its rules for BOM, CRLF and blank lines
 *   parsers/           pure parsers of each format, and format detection
 *   uploads.ts         a request body streamed to a temporary file
 *   query.ts           import options from query parameters (upload page and API)
 *   limits.ts          size limits, from the environment
 */
export { importFile, type ImportOptions } from './run';
export { removeAbandonedImports } from './leftovers';
export { isBusy } from './chunks';
export { configuredLimits } from './limits';
export { readLinesSync } from './lines';
export { receiveUpload, UploadTooLarge } from './uploads';
export { importOptionsFromQuery } from './query';
export type { Turn } from './types';
export type { ImportProgress, ImportResult } from '$lib/import-result';
