// Writes whole CSV output records from the input cells of a row and the score part that
// formats/csv.ts wrote for it (in this thread or a worker), straight into output chunks: the
// input cells and the score cells in their columns. No scoring, no I/O.
//
// The input cells of a row are written the cheapest way that gives the same bytes:
// - --in-place: from their raw text in the file, quotes and all (pass-through cells untouched);
// - a new file, a row whose text in the file has no quote, CR, LF or other common separator
//   (`,` `;` TAB besides the delimiter) and no cell that needs neutralising: its bytes as read
//   (that is exactly what serialising its cells would give);
// - otherwise: serialised cell by cell (quoted where needed, formulas neutralised).
import { beforeLineEnding, skipBlankLines } from '../io/csv-reader.js';
import { COMMON_SEPARATORS, createCsvCellFormatter, splitRawFields } from '../io/record-writer.js';
import { FORMULA_LEAD_BYTES, neutralizeFormula, startsLikeFormula } from '../io/sanitize.js';
import type { RowComposer, RowComposerConfig } from './formats/format.js';

export type { RowComposer, RowComposerConfig } from './formats/format.js';

const CR = 0x0d;
const LF = 0x0a;
const QUOTE = 0x22;

export function createRowComposer(cfg: RowComposerConfig): RowComposer {
  const width = cfg.header.length;
  const d = cfg.delimiter;
  const scoreAt = Array.from(cfg.scoreAt);
  const cell = createCsvCellFormatter(d);
  const inputCell = cfg.sanitizeInput ? (s: string) => cell(neutralizeFormula(s)) : cell;
  const eolDefault = Buffer.from(cfg.recordDelimiter);
  const dBytes = Buffer.from(d);
  // The usual layout: score columns side by side at the end, appended by this run (first = width)
  // or by an earlier one (re-scoring). Input cells 0..first-1 are written, then the score part.
  const first = scoreAt[0]!;
  const atEnd = scoreAt.every((at, j) => at === first + j) && first + scoreAt.length === cfg.outWidth;
  if (!atEnd) return composeMoved(cfg, inputCell, eolDefault);

  /** Input cells 0..first-1 serialised, with the delimiter after them. */
  const fromCells = (row: readonly string[]): string => {
    let s = '';
    for (let i = 0; i < first; i++) s += inputCell(row[i]!) + d;
    return s;
  };
  // Copying a row's bytes is exact only when each byte of the delimiter is one character.
  const copyable = d.length === 1 && d.charCodeAt(0) < 0x80;
  const dByte = d.charCodeAt(0);
  const crFile = cfg.recordDelimiter === '\r';
  const mayNeedNeutralising = cfg.sanitizeInput ? startsLikeFormula : () => false;
  // Bytes that make a row's text differ from its serialised cells: a quote, CR, LF, and the
  // common separators other than the delimiter (a cell holding one is quoted on output).
  const stoppers = [QUOTE, CR, LF, ...[...COMMON_SEPARATORS].filter((c) => c !== d).map((c) => c.charCodeAt(0))];
  /** Bytes that make the writer quote a cell (createCsvCellFormatter): the delimiter, a quote,
   * CR, LF and the common separators. Used with a one-byte ASCII delimiter only (copyable). */
  const needsQuoting = new Uint8Array(256);
  for (const c of ['"', '\r', '\n', ...COMMON_SEPARATORS, d]) if (c.charCodeAt(0) < 0x80) needsQuoting[c.charCodeAt(0)] = 1;
  // Where the next of each stopper is in the current batch's bytes (-1: none at or after the
  // last row looked at; -2: not searched yet).
  let scanned: Buffer | null = null;
  const next = new Array<number>(stoppers.length).fill(-2);

  /** End of the row's input part in `bytes` (the delimiter before the first score column
   * excluded), or -1 when the row's bytes are not what serialising its cells would give. */
  const copyEnd = (row: readonly string[], bytes: Buffer, s: number, e: number): number => {
    if (bytes !== scanned) {
      scanned = bytes;
      next.fill(-2);
    }
    for (let k = 0; k < stoppers.length; k++) {
      let at = next[k]!;
      if (at !== -1 && at < s) next[k] = at = bytes.indexOf(stoppers[k]!, s);
      if (at !== -1 && at < e) return k === 0 ? quotedCopyEnd(row, bytes, s, e) : -1;
    }
    for (let i = 0; i < first; i++) {
      const v = row[i]!;
      if (mayNeedNeutralising(v) && neutralizeFormula(v) !== v) return -1;
    }
    if (first === width) return e;
    // Re-scoring: the input part ends before the first old score column. Without quotes in the
    // row, every delimiter byte separates two cells.
    let p = s;
    for (let i = 0; i < first; i++) p = bytes.indexOf(dByte, p) + 1;
    return p - 1;
  };

  /** copyEnd for a row with a quote in its text (most rows with a `,` in a cell): its bytes are
   * still what serialising gives when each quoted field is one the writer quotes and each other
   * field one it leaves bare. Walks the first `first` fields in the bytes; -1 when any differs. */
  const quotedCopyEnd = (row: readonly string[], bytes: Buffer, s: number, e: number): number => {
    let p = s;
    for (let i = 0; i < first; i++) {
      // The field's first character is its first byte (after the opening quote): only a byte a
      // formula trigger starts with needs the look at the string.
      const lead = p < e ? bytes[p === e - 1 || bytes[p] !== QUOTE ? p : p + 1]! : -1;
      if (lead >= 0 && FORMULA_LEAD_BYTES[lead] === 1) {
        const v = row[i]!;
        if (mayNeedNeutralising(v) && neutralizeFormula(v) !== v) return -1;
      }
      let after: number; // the byte after the field
      // Whether the writer quotes the field is read from its bytes, which are its text in UTF-8
      // (every byte quoting looks for is ASCII): cheaper than cell(v) on the string.
      if (p < e && bytes[p] === QUOTE) {
        // Quoted: up to the quote that is not doubled. Same bytes if the writer quotes it too,
        // that is, if the text holds a byte that needs quoting (a doubled quote is one).
        let quoted = false;
        let k = p + 1;
        for (;;) {
          if (k >= e) return -1;
          const c = bytes[k]!;
          if (c === QUOTE) {
            if (k + 1 < e && bytes[k + 1] === QUOTE) {
              quoted = true;
              k += 2;
              continue;
            }
            break;
          }
          if (needsQuoting[c] === 1) quoted = true;
          k++;
        }
        after = k + 1;
        if (!quoted) return -1;
      } else {
        // Unquoted: up to the delimiter. Same bytes if the writer leaves it bare.
        let k = p;
        for (; k < e; k++) {
          const c = bytes[k]!;
          if (c === dByte) break;
          if (needsQuoting[c] === 1) return -1;
        }
        after = k;
      }
      if (after === e) {
        if (i !== first - 1 || first !== width) return -1;
        return e;
      }
      if (bytes[after] !== dByte) return -1;
      p = after + 1;
    }
    // The input part ends before the first old score column (re-scoring), or the row has more
    // fields than it should have: either way, p - 1 is the delimiter after field first - 1.
    return first === width ? -1 : p - 1;
  };

  return (out, batch, b, parts) => {
    const row = batch[b]!;
    const partFrom = b === 0 ? 0 : parts.ends[b - 1]!;
    const partTo = parts.ends[b]!;
    let eol = eolDefault;
    const raws = batch.raws;
    const bytes = batch.bytes;
    let written = false;
    if (raws !== undefined && batch.eols !== undefined) {
      // In place: the blank lines before the row, input cells as they were in the file, quotes
      // and all, and the row's own ending.
      const lead = batch.leads?.[b];
      if (lead) out.text(lead);
      const raw = raws[b]!;
      const fields = splitRawFields(raw, d);
      if (fields.length === width) {
        if (first === width) out.text(raw + d);
        else if (first > 0) out.text(fields.slice(0, first).join(d) + d);
        eol = Buffer.from(batch.eols[b]!);
        written = true;
      }
    } else if (copyable && bytes !== undefined && batch.spans !== undefined && first > 0) {
      let s = batch.spans[2 * b]!;
      let e = batch.spans[2 * b + 1]!;
      // Blank lines before the row (skipped by the parser) and its line ending are not its text.
      if (s >= 0) {
        s = skipBlankLines(bytes, s, e, crFile);
        e = beforeLineEnding(bytes, s, e, crFile);
      }
      const end = s >= 0 ? copyEnd(row, bytes, s, e) : -1;
      if (end >= 0) {
        out.bytes(bytes, s, end);
        out.bytes(dBytes);
        written = true;
      }
    }
    if (!written && first > 0) out.text(fromCells(row));
    out.bytes(parts.bytes, partFrom, partTo);
    out.bytes(eol);
  };
}

/** Score columns moved about by a person (in a spreadsheet): each score cell goes to its column. */
function composeMoved(cfg: RowComposerConfig, inputCell: (s: string) => string, eolDefault: Buffer): RowComposer {
  const width = cfg.header.length;
  const d = cfg.delimiter;
  const scoreAt = Array.from(cfg.scoreAt);
  const isScore = new Set(scoreAt);
  return (out, batch, b, parts) => {
    const row = batch[b]!;
    const scoreCells = splitRawFields(parts.bytes.toString('utf8', b === 0 ? 0 : parts.ends[b - 1]!, parts.ends[b]!), d);
    const fields = batch.raws !== undefined && batch.eols !== undefined ? splitRawFields(batch.raws[b]!, d) : null;
    const rawOk = fields !== null && fields.length === width;
    const lead = batch.leads?.[b];
    if (lead) out.text(lead);
    const cells = new Array<string>(cfg.outWidth);
    for (let i = 0; i < width; i++) if (!isScore.has(i)) cells[i] = rawOk ? fields[i]! : inputCell(row[i]!);
    for (let j = 0; j < scoreAt.length; j++) cells[scoreAt[j]!] = scoreCells[j]!;
    out.text(cells.join(d));
    out.bytes(rawOk ? Buffer.from(batch.eols![b]!) : eolDefault);
  };
}
