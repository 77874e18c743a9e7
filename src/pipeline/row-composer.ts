// Writes whole output records from the input cells of a row and the score part that
// score-cells.ts formatted for it (in this thread or a worker). CSV: the input cells (sanitised
// for new files, or their raw text in the file for --in-place) and the score cells in their
// columns; JSON and NDJSON: `{` + input fields + score fields + `}` with the separators between
// records. Pure formatting over strings; no scoring, no I/O.
import { createCsvCellFormatter, createJsonInputFields, splitRawFields, type OutputFormat } from '../io/record-writer.js';
import { neutralizeFormula } from '../io/sanitize.js';

export interface RowComposerConfig {
  header: readonly string[];
  /** Output column of each score column (binding.scoreAt): appended, or where an earlier run put it. */
  scoreAt: ArrayLike<number>;
  outWidth: number;
  format: OutputFormat;
  /** Neutralise formulas in the input cells (new files only; never --in-place). */
  sanitizeInput: boolean;
  delimiter: string;
  recordDelimiter: string;
}

/** One output record (with its line ending, or with the separator before it for JSON). `raw`
 * and `eol` are the row's text and line ending in the file (--in-place CSV), else null. */
export type RowComposer = (row: readonly string[], part: string, raw: string | null, eol: string | null) => string;

export function createRowComposer(cfg: RowComposerConfig): RowComposer {
  const width = cfg.header.length;
  const d = cfg.delimiter;
  const scoreAt = Array.from(cfg.scoreAt);
  if (cfg.format !== 'csv') {
    const input = createJsonInputFields(cfg.header, new Set(scoreAt.filter((at) => at < width)));
    const sep = cfg.format === 'json' ? ',\n' : '\n';
    let first = true;
    return (row, part) => {
      const lead = first ? (cfg.format === 'json' ? '\n' : '') : sep;
      first = false;
      return lead + '{' + input(row) + part + '}';
    };
  }
  const cell = createCsvCellFormatter(d);
  const inputCell = cfg.sanitizeInput ? (s: string) => cell(neutralizeFormula(s)) : cell;
  const eolDefault = cfg.recordDelimiter;
  // The usual layout: score columns side by side at the end, appended by this run (first = width)
  // or by an earlier one (re-scoring). Input cells 0..first-1 are written, then the score part.
  const first = scoreAt[0]!;
  const atEnd = scoreAt.every((at, j) => at === first + j) && first + scoreAt.length === cfg.outWidth;
  if (atEnd) {
    const fromCells = (row: readonly string[], part: string, eol: string): string => {
      if (first === 0) return part + eol;
      let out = inputCell(row[0]!);
      for (let i = 1; i < first; i++) out += d + inputCell(row[i]!);
      return out + d + part + eol;
    };
    return (row, part, raw, eol) => {
      if (raw !== null && eol !== null) {
        // In place: input cells as they were in the file, quotes and all.
        const fields = splitRawFields(raw, d);
        if (fields.length === width) {
          if (first === width) return raw + d + part + eol;
          return first === 0 ? part + eol : fields.slice(0, first).join(d) + d + part + eol;
        }
      }
      return fromCells(row, part, eolDefault);
    };
  }
  // Score columns moved about by a person (a spreadsheet): place each score cell in its column.
  const isScore = new Set(scoreAt);
  return (row, part, raw, eol) => {
    const scoreCells = splitRawFields(part, d);
    const fields = raw !== null && eol !== null ? splitRawFields(raw, d) : null;
    const rawOk = fields !== null && fields.length === width;
    const out = new Array<string>(cfg.outWidth);
    for (let i = 0; i < width; i++) if (!isScore.has(i)) out[i] = rawOk ? fields[i]! : inputCell(row[i]!);
    for (let j = 0; j < scoreAt.length; j++) out[scoreAt[j]!] = scoreCells[j]!;
    return out.join(d) + (rawOk ? eol! : eolDefault);
  };
}
