// Scores batches of rows and formats them as output text (CSV, JSON or NDJSON), keeping the
// run's counts. One formatter per file; it holds the only scorer state that spans rows (the
// duplicate index). Plain-data configuration, so the same code runs inline or in a worker
// thread (score-worker.ts) and gives byte-identical output either way.
import type { CompiledRules } from '../core/rules/compiled.js';
import { createScorer, formatReasons, type Scorer } from '../core/scoring/engine.js';
import { createCsvCellFormatter, createCsvRowWriter, createJsonEncoder, splitRawFields, type OutputFormat } from '../io/record-writer.js';
import { neutralizeFormula } from '../io/sanitize.js';

export interface FormatterConfig {
  rules: CompiledRules;
  header: string[];
  asOfDay: number;
  file: string;
  format: OutputFormat;
  sanitize: boolean;
  inPlace: boolean;
  delimiter: string;
  recordDelimiter: string;
}

/** A batch of rows; `records` gives their record numbers when rows were set aside (gaps). */
export interface BatchIn {
  rows: string[][];
  records: number[] | null;
  /** Rows set aside that belong before the last row of this batch, kept in place (--in-place). */
  rejects: { record: number; raw: string }[];
  /** --in-place CSV: each row's text as in the file (without its line ending) and its line
   * ending; input cells are written back from these byte for byte. Null otherwise. */
  raws?: string[] | null;
  eols?: string[] | null;
}

export interface FormatterSummary {
  rows: number;
  byStage: [string, number][];
  byTier: [string, number][];
  disqualified: [string, { why: string; count: number }][];
  unreadable: ReturnType<Scorer['unreadable']>;
}

export interface BatchFormatter {
  /** Text of the rows of one batch (and of kept rejects before them). */
  format(batch: BatchIn): string;
  summary(): FormatterSummary;
}

export function createBatchFormatter(cfg: FormatterConfig): BatchFormatter {
  const scorer = createScorer(cfg.rules, cfg.header, { asOfDay: cfg.asOfDay, file: cfg.file });
  const { binding, rules } = scorer;
  const { scoreAt } = binding;
  const withGrade = rules.grade !== null;
  const writeRow = createCsvRowWriter({ delimiter: cfg.delimiter, recordDelimiter: cfg.recordDelimiter });
  const cell = createCsvCellFormatter(cfg.delimiter);
  const d = cfg.delimiter;
  const sanitizeOut = cfg.sanitize ? neutralizeFormula : (s: string) => s;
  const [atFit, atEng, atScore, atTier] = [scoreAt[0]!, scoreAt[1]!, scoreAt[2]!, scoreAt[3]!];
  const atGrade = withGrade ? scoreAt[4]! : -1;
  const [atStage, atClass, atAction, atReasons] = scoreAt.slice(withGrade ? 5 : 4) as unknown as [number, number, number, number];
  // Cells of new files are neutralised; --in-place leaves pass-through cells byte-identical.
  const sanitizeInput = cfg.sanitize && !cfg.inPlace;
  const headerWidth = cfg.header.length;
  const eol = cfg.recordDelimiter;
  const skip = new Set<number>();
  for (let j = 0; j < scoreAt.length; j++) if (scoreAt[j]! < headerWidth) skip.add(scoreAt[j]!);
  const json = cfg.format === 'csv' ? null : createJsonEncoder(cfg.header, skip, rules.settings.columnPrefix, withGrade);
  const sep = cfg.format === 'json' ? ',\n' : '\n';
  const byStage = new Map<string, number>();
  const byTier = new Map<string, number>();
  const disqualified = new Map<string, { why: string; count: number }>();
  let record = 0;
  let rows = 0;
  let first = true;

  return {
    format({ rows: batch, records, rejects, raws = null, eols = null }) {
      let buf = '';
      let nextReject = 0;
      let fields: string[];
      for (let b = 0; b < batch.length; b++) {
        const row = batch[b]!;
        record = records === null ? record + 1 : records[b]!;
        rows++;
        while (nextReject < rejects.length && rejects[nextReject]!.record < record) buf += rejects[nextReject++]!.raw + eol;
        const s = scorer.scoreShared(row, record);
        byStage.set(s.stage, (byStage.get(s.stage) ?? 0) + 1);
        byTier.set(s.tier, (byTier.get(s.tier) ?? 0) + 1);
        if (s.disqualifiedBy !== null) {
          const d = disqualified.get(s.disqualifiedBy);
          if (d) d.count++;
          else {
            const why = s.disqualifiedBy === 'duplicate' ? (rules.duplicates?.why ?? '') : (s.reasons.find((r) => r.rule === s.disqualifiedBy)?.why ?? '');
            disqualified.set(s.disqualifiedBy, { why, count: 1 });
          }
        }
        if (json !== null) {
          buf += (first ? (cfg.format === 'json' ? '\n' : '') : sep) + json(row, s);
          first = false;
        } else if (raws !== null && eols !== null && (fields = splitRawFields(raws[b]!, d)).length === headerWidth) {
          // In place: input cells as they were in the file (quotes and all), score cells new.
          fields[atFit] = cell(String(s.fit));
          fields[atEng] = cell(String(s.engagement));
          fields[atScore] = cell(String(s.score));
          fields[atTier] = cell(sanitizeOut(s.tier));
          if (atGrade >= 0) fields[atGrade] = cell(sanitizeOut(s.grade ?? ''));
          fields[atStage] = cell(sanitizeOut(s.stage));
          fields[atClass] = cell(sanitizeOut(s.class));
          fields[atAction] = cell(sanitizeOut(s.action));
          fields[atReasons] = cell(sanitizeOut(formatReasons(s.reasons)));
          buf += fields.join(d) + eols[b]!;
        } else {
          if (sanitizeInput) for (let i = 0; i < headerWidth; i++) row[i] = neutralizeFormula(row[i]!);
          // Score cells: appended, or in place of the columns an earlier run added.
          row[atFit] = String(s.fit);
          row[atEng] = String(s.engagement);
          row[atScore] = String(s.score);
          row[atTier] = sanitizeOut(s.tier);
          if (atGrade >= 0) row[atGrade] = sanitizeOut(s.grade ?? '');
          row[atStage] = sanitizeOut(s.stage);
          row[atClass] = sanitizeOut(s.class);
          row[atAction] = sanitizeOut(s.action);
          row[atReasons] = sanitizeOut(formatReasons(s.reasons));
          buf += writeRow(row);
        }
      }
      while (nextReject < rejects.length) buf += rejects[nextReject++]!.raw + eol;
      return buf;
    },
    summary: () => ({
      rows,
      byStage: [...byStage],
      byTier: [...byTier],
      disqualified: [...disqualified],
      unreadable: scorer.unreadable(),
    }),
  };
}

/** Whether JSON output has had a first row (for the closing bracket). */
export function jsonTail(format: OutputFormat, rows: number): string {
  if (format === 'json') return rows === 0 ? ']\n' : '\n]\n';
  if (format === 'ndjson' && rows > 0) return '\n';
  return '';
}
