// Scores one CSV stream end to end: reader -> engine -> writer -> sink (Miller's layers). Rows
// flow in batches and are scored as they are read, so memory does not grow with the file.
// Output goes to stdout, to a new file, or over the input (--in-place), the files always
// through a temp file renamed into place only once complete. Returns the run's statistics.
import type { CompiledRules } from '../core/rules/compiled.js';
import { createScorer, formatReasons, type Scorer } from '../core/scoring/engine.js';
import { QualifyError } from '../core/errors.js';
import { openCsv, type CsvInput, type RejectedRow } from '../io/csv-reader.js';
import { writeRejects } from '../io/rejects.js';
import { createCsvRowWriter, createJsonEncoder, type OutputFormat } from '../io/record-writer.js';
import { neutralizeFormula } from '../io/sanitize.js';
import { updateInPlace, writeToStdout, writeToFile } from '../io/output.js';

export interface ScoreFileOptions {
  input: string;
  rules: CompiledRules;
  asOfDay: number;
  format: OutputFormat;
  /** '-' for stdout, a path, or null with inPlace. */
  output: string | null;
  inPlace: boolean;
  encoding?: string | undefined;
  delimiter?: string | undefined;
  /** Neutralise spreadsheet formulas in cells of new files (OWASP); off with --no-sanitize. */
  sanitize: boolean;
  /** --skip-invalid: score the rest and write rows that cannot be read to this rejects file
   * (in place, they also stay where they were in the file, verbatim). Unset: such a row stops the run. */
  rejects?: string | undefined;
  onProgress?: (p: { rows: number; bytes: number; totalBytes: number | null }) => void;
}

export interface ScoreStats {
  file: string;
  output: string;
  rowsRead: number;
  rowsWritten: number;
  byStage: Map<string, number>;
  byTier: Map<string, number>;
  disqualified: Map<string, { why: string; count: number }>;
  unreadable: ReturnType<Scorer['unreadable']>;
  absentOptional: string[];
  ambiguous: { field: string; used: string; ignored: string[] }[];
  /** True when stdout was closed early by the reader (`| head`). */
  closedEarly: boolean;
  /** Rows set aside under --skip-invalid, and where they went (null without --skip-invalid). */
  rejected: number;
  rejectsFile: string | null;
  /** Notes from the reader: duplicate or blank header names, mixed line endings. */
  readerNotes: string[];
}

const CHUNK = 256 * 1024;

export async function scoreFile(opts: ScoreFileOptions): Promise<ScoreStats> {
  if (opts.inPlace) {
    // The lock covers read, modify and write; the identity taken before reading lets the
    // writer refuse a file that someone saved in the meantime.
    return updateInPlace(opts.input, (before) => run(opts, async (chunks, input) => writeToFile(input.file, chunks, { form: input.form, expect: before })));
  }
  return run(opts, async (chunks, input, stats) => {
    if (opts.output === null || opts.output === '-') stats.closedEarly = await writeToStdout(chunks);
    else await writeToFile(opts.output, chunks, { form: opts.format === 'csv' ? input.form : null });
  });
}

type Sink = (chunks: AsyncGenerator<string>, input: CsvInput, stats: ScoreStats) => Promise<void>;

async function run(opts: ScoreFileOptions, sink: Sink): Promise<ScoreStats> {
  const rejects: RejectedRow[] = [];
  const input = await openCsv(opts.input, {
    encoding: opts.encoding,
    delimiter: opts.delimiter,
    ...(opts.rejects !== undefined ? { onReject: (r: RejectedRow) => rejects.push(r) } : {}),
  });
  const scorer = createScorer(opts.rules, input.header, { asOfDay: opts.asOfDay, file: input.file });
  const stats: ScoreStats = {
    file: input.file,
    output: opts.inPlace ? input.file : opts.output === '-' || opts.output === null ? 'stdout' : opts.output,
    rowsRead: 0,
    rowsWritten: 0,
    byStage: new Map(),
    byTier: new Map(),
    disqualified: new Map(),
    unreadable: [],
    absentOptional: scorer.binding.absentOptional,
    ambiguous: scorer.binding.ambiguous,
    closedEarly: false,
    rejected: 0,
    rejectsFile: opts.rejects ?? null,
    readerNotes: [],
  };
  await sink(produce(input, scorer, opts, stats, rejects), input, stats);
  stats.unreadable = scorer.unreadable();
  stats.readerNotes = input.notes();
  return stats;
}

async function* produce(input: CsvInput, scorer: Scorer, opts: ScoreFileOptions, stats: ScoreStats, rejects: RejectedRow[]): AsyncGenerator<string> {
  const { binding, rules } = scorer;
  const { scoreAt, scoreNames } = binding;
  const withGrade = rules.grade !== null;
  const writeRow = createCsvRowWriter({ delimiter: input.form.delimiter, recordDelimiter: input.form.recordDelimiter });
  const sanitizeOut = opts.sanitize ? neutralizeFormula : (s: string) => s;
  const [atFit, atEng, atScore, atTier] = [scoreAt[0]!, scoreAt[1]!, scoreAt[2]!, scoreAt[3]!];
  const atGrade = withGrade ? scoreAt[4]! : -1;
  const [atStage, atClass, atAction, atReasons] = scoreAt.slice(withGrade ? 5 : 4) as unknown as [number, number, number, number];
  // Cells of new files are neutralised; --in-place leaves pass-through cells byte-identical.
  const sanitizeInput = opts.sanitize && !opts.inPlace;
  const headerWidth = input.header.length;
  // In place, a row set aside stays where it was, verbatim (it is in the rejects file too).
  const keepRejects = opts.inPlace && opts.format === 'csv';
  const eol = input.form.recordDelimiter;
  let nextReject = 0;
  // In place, a file without a final line ending is written back without one: the last line
  // ending is held back until the end, when the reader knows.
  const keepFinalNewline = opts.inPlace && opts.format === 'csv';
  let head = '';

  if (opts.format === 'csv') {
    const header = input.header.slice();
    for (let j = 0; j < scoreNames.length; j++) header[scoreAt[j]!] = scoreNames[j]!;
    head = writeRow(sanitizeInput ? header.map(neutralizeFormula) : header);
    if (input.form.sepLine !== null) head = input.form.sepLine + input.form.recordDelimiter + head;
    if (!keepFinalNewline) {
      yield head;
      head = '';
    }
  } else if (opts.format === 'json') {
    yield '[';
  }
  const skip = new Set<number>();
  for (let j = 0; j < scoreAt.length; j++) if (scoreAt[j]! < headerWidth) skip.add(scoreAt[j]!);
  const json = opts.format === 'csv' ? null : createJsonEncoder(input.header, skip, rules.settings.columnPrefix, withGrade);
  const sep = opts.format === 'json' ? ',\n' : '\n';

  let record = 0;
  let rows = 0;
  let buf = head;
  let first = true;
  for await (const batch of input.batches()) {
    const numbers = batch.recordNumbers;
    for (let b = 0; b < batch.length; b++) {
      const row = batch[b]!;
      record = numbers === undefined ? record + 1 : numbers[b]!;
      rows++;
      if (keepRejects) while (nextReject < rejects.length && rejects[nextReject]!.record < record) buf += rejects[nextReject++]!.raw + eol;
      const s = scorer.scoreShared(row, record);
      bump(stats.byStage, s.stage);
      bump(stats.byTier, s.tier);
      if (s.disqualifiedBy !== null) {
        const d = stats.disqualified.get(s.disqualifiedBy);
        if (d) d.count++;
        else {
          const why = s.disqualifiedBy === 'duplicate' ? (rules.duplicates?.why ?? '') : (s.reasons.find((r) => r.rule === s.disqualifiedBy)?.why ?? '');
          stats.disqualified.set(s.disqualifiedBy, { why, count: 1 });
        }
      }
      if (json !== null) {
        buf += (first ? (opts.format === 'json' ? '\n' : '') : sep) + json(row, s);
        first = false;
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
    stats.rowsRead = rows;
    if (buf.length >= CHUNK) {
      stats.rowsWritten = stats.rowsRead;
      if (keepFinalNewline && buf.endsWith(eol)) {
        yield buf.slice(0, -eol.length);
        buf = eol;
      } else {
        yield buf;
        buf = '';
      }
    }
    opts.onProgress?.({ rows: stats.rowsRead, bytes: input.bytesRead(), totalBytes: input.totalBytes });
  }
  if (keepRejects) while (nextReject < rejects.length) buf += rejects[nextReject++]!.raw + eol;
  if (opts.format === 'json') buf += first ? ']\n' : '\n]\n';
  else if (opts.format === 'ndjson' && !first) buf += '\n';
  stats.rejected = input.rejected();
  stats.rowsRead = rows;
  stats.rowsWritten = rows;
  if (keepFinalNewline && !input.finalNewline() && buf.endsWith(eol)) buf = buf.slice(0, -eol.length);
  if (buf.length) yield buf;
  // Before the generator ends, so before the output file is renamed into place: if the rejected
  // rows cannot be saved, the output is not committed either.
  if (opts.rejects !== undefined) await writeRejects(opts.rejects, rejects, input.form, opts.sanitize);
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

export function assertNever(x: never): never {
  throw new QualifyError('ARG_INVALID', `unexpected ${String(x)}`);
}
