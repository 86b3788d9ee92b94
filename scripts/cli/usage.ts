import { DEFAULT_DATABASE_PATH } from '../../src/lib/server/db';
import {
	CONTENT_CHECKS,
	DEFAULT_CHECK_ACTIONS,
	TRAIT_PAIRINGS
} from '../../src/lib/export-options';
import { IMPORT_FORMAT_CHOICES } from '../../src/lib/import-formats';
import { EXPORT_FORMATS, EXPORT_OUTPUTS } from '../../src/lib/server/exports';

export const USAGE = `Usage:
  npm run cli -- import FILE [--format ${IMPORT_FORMAT_CHOICES.join('|')}] [--constitution NAME]
                             [--batch NAME] [--trait KEY] [--scale N] [--overlap N]
                             [--no-blind] [--calibration] [--replace-invalid-utf8]
                             [--open] [--as USERNAME]
  npm run cli -- export --batch NAME [--batch NAME…] --format FORMAT --out FILE
                        [--strategy best-vs-worst|best-vs-each|all-pairs] [--margin]
                        [--min-margin N] [--min-reviews N] [--min-agreement X]
                        [--keep-flagged] [--include-unlocked] [--no-metadata]
                        [--separate-prompt] [--output ${EXPORT_OUTPUTS.join('|')}]
                        [--test-share X] [--seed N] [--license ID] [--as USERNAME]
                        [--include-gold] [--rationale] [--check NAME=drop|keep…]
                        [--pairing ${TRAIT_PAIRINGS.join('|')}]
      FORMAT: ${EXPORT_FORMATS.join(', ')}
      --check NAME=drop|keep: what a content check does with the pairs it finds. The checks,
      each with its default: ${CONTENT_CHECKS.map((c) => `${c} ${DEFAULT_CHECK_ACTIONS[c]}`).join(', ')}.
      --pairing agree-all-traits leaves out pairs another trait orders the other way.
      --include-gold puts gold items in pair formats; --rationale adds the reviewers' evidence
      spans to each line's metadata (chosen_evidence, rejected_evidence).
      --output hf-dataset writes a Hugging Face dataset folder at FILE (or its archive, when
      FILE ends in .tar); LLaMA-Factory formats also get their entry in dataset_info.json
      beside FILE.
  npm run cli -- verify-export ID      re-reads export ID's stored file: OK, or what differs
  npm run cli -- report --batch NAME [--batch NAME…] [--json]
      the dashboard's figures for the batches (reviewers under pseudonyms), as a table, or
      with --json as the document described in the README ("Reports for scripts")
  npm run cli -- import-reviews --batch NAME [--map REVIEWER=USERNAME…] [--source NAME]
                                [--as USERNAME] FILE
      FILE is a reviews JSONL (as the reviews-jsonl export writes). Reviewers not mapped to an
      account become external reviewers, ext-SOURCE-REVIEWER, who cannot log in.

An imported batch is a draft, taking no reviews, until it is opened: --open opens it at once.
Works on DATABASE_PATH (default ${DEFAULT_DATABASE_PATH}). --as names the user the audit log records.`;
