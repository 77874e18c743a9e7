// The seam every output format plugs into (like Miller's record writers): a format says how the
// output starts, how the score part of one record is written (in the scoring thread, inline or
// in a worker), how a whole record is composed from the input cells and that score part (in the
// reading thread), and how the output ends. score-file.ts drives any format the same way; the
// formats are listed once, in registry.ts. The score columns and their order come from
// SCORE_COLUMNS (core/rules/compiled.ts), their values from SCORE_VALUES below.
import { activeScoreColumns, type CompiledRules, type ScoreColumn } from '../../core/rules/compiled.js';
import type { Reason, ScoreResult } from '../../core/scoring/engine.js';
import type { ChunkBuilder } from '../../io/chunk-builder.js';
import type { CsvFormInfo, RawRecord, RecordBatch } from '../../io/csv-reader.js';

/** The score part of each row's output record, UTF-8: row i's is bytes[ends[i - 1] ?? 0, ends[i]). */
export interface ScoreParts {
  bytes: Buffer;
  ends: Int32Array;
  /** With --stage/--class/--tier/--min-score: 1 for each row the filters keep, 0 for the others
   * (null: every row is written). */
  keep?: Uint8Array | null;
}

/** How the value of a score column is written: a number, text (qualify's or the rules'), the
 * stage (a person's text when kept from the input), or the list of reasons. */
export type ScoreValue =
  | { kind: 'number'; get: (s: ScoreResult) => number }
  | { kind: 'text'; get: (s: ScoreResult) => string | null }
  | { kind: 'stage'; get: (s: ScoreResult) => string }
  | { kind: 'reasons'; get: (s: ScoreResult) => readonly Reason[] };

/** The value of every score column (a column added to SCORE_COLUMNS without one here does not
 * compile). */
export const SCORE_VALUES: { readonly [C in ScoreColumn]: ScoreValue } = {
  fit: { kind: 'number', get: (s) => s.fit },
  engagement: { kind: 'number', get: (s) => s.engagement },
  score: { kind: 'number', get: (s) => s.score },
  tier: { kind: 'text', get: (s) => s.tier },
  grade: { kind: 'text', get: (s) => s.grade },
  stage: { kind: 'stage', get: (s) => s.stage },
  class: { kind: 'text', get: (s) => s.class },
  action: { kind: 'text', get: (s) => s.action },
  reasons: { kind: 'reasons', get: (s) => s.reasons },
};

/** One score column as a format writes it: its name in the output (under the binding's prefix)
 * and how to get its value. */
export interface ScoreField {
  column: ScoreColumn;
  name: string;
  value: ScoreValue;
}

/** The score columns these rules write, in output order, named under `prefix`. */
export function scoreFields(rules: Pick<CompiledRules, 'grade'>, prefix: string): ScoreField[] {
  return activeScoreColumns(rules).map((column) => ({ column, name: prefix + column, value: SCORE_VALUES[column] }));
}

/** What the scoring thread needs to write the score part (built there, from the plain-data
 * ScoreCellsConfig a worker is sent). */
export interface ScorePartConfig {
  fields: readonly ScoreField[];
  /** Neutralise spreadsheet formulas in the text written (not the numbers). */
  sanitize: boolean;
  /** --in-place: a stage kept from the input (a person's) is written back as it was. */
  inPlace: boolean;
  delimiter: string;
}

/** What the reading thread knows when the output starts. */
export interface OutputStart {
  header: readonly string[];
  /** With --in-place: the header line as in the file, to keep its cells' text. */
  headerRaw: RawRecord | null;
  form: CsvFormInfo;
  /** Output column of each score column (binding.scoreAt) and its name. */
  scoreAt: ArrayLike<number>;
  scoreNames: readonly string[];
  /** Neutralise formulas in the input cells (new files only; never --in-place). */
  sanitizeInput: boolean;
}

export interface RowComposerConfig {
  header: readonly string[];
  /** Output column of each score column (binding.scoreAt): appended, or where an earlier run put it. */
  scoreAt: ArrayLike<number>;
  outWidth: number;
  /** Neutralise formulas in the input cells (new files only; never --in-place). */
  sanitizeInput: boolean;
  delimiter: string;
  recordDelimiter: string;
}

/** Writes row `b` of `batch` (with its line ending, or with the separator before it for JSON). */
export type RowComposer = (out: ChunkBuilder, batch: RecordBatch, b: number, parts: ScoreParts) => void;

export interface OutputFormat {
  /** The value of --format. */
  name: string;
  /** Whether --in-place can write it over a CSV input (then the output keeps the input's form:
   * raw cells, line endings, final newline, rows set aside kept in place). */
  inPlace: boolean;
  /** Written in the input's encoding and BOM (CSV); otherwise UTF-8 without BOM. */
  keepsInputEncoding: boolean;
  /** What the reader must keep for composeRow: the raw text of rows (--in-place) or the bytes
   * read (a copy-as-read fast path). */
  reading(inPlace: boolean): { keepRaw?: true; keepBytes?: true };
  /** The text before the first record (a header, `[`). */
  prologue(start: OutputStart): string;
  /** Writes the score part of one record; runs in the scoring thread. */
  scorePart(cfg: ScorePartConfig): (s: ScoreResult) => string;
  /** Optional: the same score part's UTF-8 bytes written straight into `buf` from `at`, giving
   * the end, or -1 when `buf` has too little room (the caller grows it and asks again). Saves
   * building a string a row and encoding it again: most of a long score part (JSON's reasons)
   * is the same few pieces in every row, encoded once. */
  scorePartBytes?(cfg: ScorePartConfig): (s: ScoreResult, buf: Buffer, at: number) => number;
  /** Composes whole records from input cells and score parts; runs in the reading thread. */
  rowComposer(cfg: RowComposerConfig): RowComposer;
  /** The text after the last record, given how many were written. */
  epilogue(rows: number): string;
}
