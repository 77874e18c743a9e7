// CSV out: the input's own form (encoding, BOM, delimiter, line endings, Excel's `sep=` line),
// every input column in order, then the score columns (or the old ones replaced in place).
// The one format --in-place writes. Row composition is in row-composer.ts (its copy-as-read
// fast path); the serialiser is record-writer.ts.
import { formatReasons, type Reason, type ScoreResult } from '../../core/scoring/engine.js';
import { createCsvCellFormatter, createCsvRowWriter, splitRawFields } from '../../io/record-writer.js';
import { neutralizeCopiedText, neutralizeFormula, startsLikeFormula } from '../../io/sanitize.js';
import { createRowComposer } from '../row-composer.js';
import type { OutputFormat, OutputStart, ScorePartConfig } from './format.js';

function prologue(start: OutputStart): string {
  const { form, scoreAt, scoreNames } = start;
  const eol = form.recordDelimiter;
  const header = start.header.slice();
  for (let j = 0; j < scoreNames.length; j++) header[scoreAt[j]!] = scoreNames[j]!;
  const raw = start.headerRaw;
  const rawFields = raw === null ? null : splitRawFields(raw.text, form.delimiter);
  let text: string;
  if (raw !== null && rawFields !== null && rawFields.length === start.header.length) {
    // In place: the header's cells as they were in the file, new score column names added.
    const cell = createCsvCellFormatter(form.delimiter);
    for (let j = 0; j < scoreNames.length; j++) if (scoreAt[j]! >= start.header.length) rawFields[scoreAt[j]!] = cell(scoreNames[j]!);
    text = raw.lead + rawFields.join(form.delimiter) + (raw.eol === '' ? eol : raw.eol);
  } else {
    const writeRow = createCsvRowWriter({ delimiter: form.delimiter, recordDelimiter: eol });
    text = writeRow(start.sanitizeInput ? header.map(neutralizeFormula) : header);
  }
  if (form.sepLine !== null) text = form.sepLine + eol + text;
  return text;
}

/** The score cells, delimited, without a line ending (row-composer.ts adds the input cells). */
function scorePart(cfg: ScorePartConfig): (s: ScoreResult) => string {
  const d = cfg.delimiter;
  const cell = createCsvCellFormatter(d);
  // Text in the score columns can come from people (a stage kept, quoted in the reasons) or the
  // rules file: neutralised at the start and after every separator (sanitize.ts).
  const sanitizeOut = cfg.sanitize ? neutralizeCopiedText : (s: string) => s;
  // The stage cell is either ours (never formula-like) or a person's text kept from the input,
  // which an --in-place rewrite writes back as it was, like every other input cell.
  const sanitizeStage = cfg.sanitize && !cfg.inPlace ? neutralizeCopiedText : (s: string) => s;
  // A number's text (digits, `-`, `.`, `e+`, Infinity, NaN) needs quoting only under a delimiter
  // made of such characters.
  const numbersNeedQuoting = /[\d.+\-eEInfinityNa]/.test(d);
  const cells = cfg.fields.map(({ value: v }): ((s: ScoreResult) => string) => {
    switch (v.kind) {
      case 'number':
        return numbersNeedQuoting ? (s) => cell(String(v.get(s))) : (s) => String(v.get(s));
      case 'text': {
        const written = memoOfFew((t: string) => cell(sanitizeOut(t)));
        return (s) => written(v.get(s) ?? '');
      }
      case 'stage': {
        const written = memoOfFew((t: string) => cell(sanitizeStage(t)));
        return (s) => written(v.get(s));
      }
      case 'reasons': {
        const written = reasonsCellWriter(cell, d, cfg.sanitize);
        return (s) => written(v.get(s));
      }
    }
  });
  const n = cells.length;
  return (s) => {
    let part = cells[0]!(s);
    for (let i = 1; i < n; i++) part += d + cells[i]!(s);
    return part;
  };
}

/**
 * The reasons cell, `cell(sanitizeOut(formatReasons(reasons)))`, from pieces kept per label:
 * a file has a few thousand distinct labels but nearly as many distinct cells as rows (decay
 * ages, unit counts), so the cell is assembled rather than remembered. Exact because
 * - with two reasons or more the cell holds `; ` and is always quoted (`;` is a common separator),
 *   and doubling quotes commutes with joining;
 * - neutralizeCopiedText treats each segment between separators alone, and the segment after a
 *   joining `;` starts with a space (never a formula): each label is neutralised on its own, the
 *   first as at the start of a cell, the others as after a separator. The one exception, a first
 *   label that itself starts like a formula (the whole cell is then tested as a signed number or
 *   a phone number), is written the plain way.
 */
function reasonsCellWriter(cell: (s: string) => string, delimiter: string, sanitize: boolean): (reasons: readonly Reason[]) => string {
  const plain = (reasons: readonly Reason[]): string => {
    const text = formatReasons(reasons);
    return cell(sanitize ? neutralizeCopiedText(text) : text);
  };
  // Most labels (`title:exec +20`, `stale 72d ×0.33 -17`) hold no quote, no separator a
  // spreadsheet splits on and not the delimiter: such a label is its own piece (a first one
  // unless it starts like a formula), found with a look at each character, no look-up.
  const special = [...'",;\t\r\n', ...delimiter].map((c) => c.charCodeAt(0));
  // Labels hold `×` and other non-ASCII text; only a non-ASCII delimiter makes such a character
  // special.
  const specialWide = new Set(special.filter((c) => c >= 0x80));
  const specialAscii = new Uint8Array(128);
  for (const c of special) if (c < 0x80) specialAscii[c] = 1;
  const isPlain = (label: string): boolean => {
    for (let i = 0; i < label.length; i++) {
      const c = label.charCodeAt(i);
      if (c < 0x80 ? specialAscii[c] === 1 : specialWide.size > 0 && specialWide.has(c)) return false;
    }
    return true;
  };
  const startsFormula = sanitize ? startsLikeFormula : () => false;
  const quotesDoubled = (s: string): string => (s.includes('"') ? s.replace(/"/g, '""') : s);
  /** The other labels (a list of fields, a person's stage): the cell of the label alone, and its
   * text (quotes doubled) first and after `; `, kept per label. */
  interface Pieces {
    alone: string;
    first: string | null;
    after: string;
  }
  const byLabel = new Map<string, Pieces>();
  const piecesOf = (label: string): Pieces => {
    let p = byLabel.get(label);
    if (p === undefined) {
      // Bounded: labels made for one row (`kept stage Won, then lost`) only refill it.
      if (byLabel.size >= 1024) byLabel.clear();
      p = {
        alone: cell(sanitize ? neutralizeCopiedText(label) : label),
        first: startsFormula(label) ? null : quotesDoubled(sanitize ? neutralizeCopiedText(label) : label),
        after: quotesDoubled(sanitize ? neutralizeCopiedText('; ' + label).slice(2) : label),
      };
      byLabel.set(label, p);
    }
    return p;
  };
  return (reasons) => {
    const n = reasons.length;
    if (n === 0) return plain(reasons);
    const label = reasons[0]!.label;
    let out: string;
    if (isPlain(label) && !startsFormula(label)) {
      if (n === 1) return label;
      out = '"' + label;
    } else {
      const head = piecesOf(label);
      if (n === 1) return head.alone;
      if (head.first === null) return plain(reasons);
      out = '"' + head.first;
    }
    for (let i = 1; i < n; i++) {
      const l = reasons[i]!.label;
      out += '; ' + (isPlain(l) ? l : piecesOf(l).after);
    }
    return out + '"';
  };
}

/** Tier, grade, stage, class and action take a handful of values in a file (from the rules),
 * so each is quoted and neutralised once; a run of distinct values (a person's stages, `Merge
 * into record N`) only refills the memo. */
function memoOfFew(write: (t: string) => string): (t: string) => string {
  const seen = new Map<string, string>();
  return (t) => {
    let w = seen.get(t);
    if (w === undefined) {
      if (seen.size >= 256) seen.clear();
      seen.set(t, (w = write(t)));
    }
    return w;
  };
}

export const format: OutputFormat = {
  name: 'csv',
  inPlace: true,
  keepsInputEncoding: true,
  // In place, input cells are written back from their text in the file (quotes and all); in a
  // new file, a row that needs no quoting is copied as read (row-composer.ts).
  reading: (inPlace) => (inPlace ? { keepRaw: true } : { keepBytes: true }),
  prologue,
  scorePart,
  rowComposer: createRowComposer,
  epilogue: () => '',
};
