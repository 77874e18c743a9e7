// Line endings, written once for every CSV reader: which bytes end a record (CRLF or LF, or CR
// in a CR file), the blank lines before a record and the line ending after it, line counting,
// and a scanner that watches the endings of a whole text (mixed endings, CR CR LF, CRLF inside
// quoted values). Pure functions over bytes; the streaming reader (csv-reader.ts) and the
// whole-document reader for row updates (csv-row-update.ts) both use them.
import { QualifyError } from '../core/errors.js';
import type { RecordDelimiter } from './sniff.js';

const CR = 0x0d;
const LF = 0x0a;
const QUOTE = 0x22;
/** 1 for the bytes the ending scanner does nothing with (all but CR, LF and the quote). */
const PLAIN = new Uint8Array(256).fill(1);
for (const b of [CR, LF, QUOTE]) PLAIN[b] = 0;

/**
 * Watches the line endings in the text fed to the parser (one pass over the bytes, quote state
 * carried across slices). Remembers the first line ending outside quotes that differs from the
 * file's first one, with its line: a CRLF file with LF rows appended by a script is read
 * correctly (recordDelimitersFor) but is worth a note, since it is written back with one kind.
 * Also keeps where a CRLF sits inside a quoted value, which csv-parse counts as two lines.
 */
export function createEndingScanner(first: RecordDelimiter, lineOffset: number) {
  let quoted = false;
  let crs = 0; // CRs outside quotes just before the current byte
  let crsLine = 0; // the line the first of them ends
  let doubled: number | undefined;
  let prevCR = false;
  let prevCRQuoted = false;
  let line = 1 + lineOffset;
  let offset = 0;
  let found: { kind: RecordDelimiter; line: number } | undefined;
  let quotedCrlfs: number[] = []; // byte offsets of the LF of each CRLF inside quotes
  let quotedCrlfsForgotten = 0;
  const see = (kind: RecordDelimiter) => {
    if (found === undefined && kind !== first) found = { kind, line };
  };
  return {
    scan(buf: Buffer): void {
      const len = buf.length;
      for (let i = 0; i < len; i++) {
        // Between a CR's successor and the next CR, LF or quote nothing changes: skip such bytes
        // with one table look-up each (this pass reads every byte of the file).
        if (crs === 0 && !prevCR) {
          while (i < len && PLAIN[buf[i]!] === 1) i++;
          if (i >= len) break;
        }
        const c = buf[i]!;
        if (c === CR) {
          if (!quoted && crs++ === 0) crsLine = line;
        } else {
          if (c === LF && crs >= 2 && doubled === undefined) doubled = crsLine;
          crs = 0;
        }
        if (prevCR) {
          // The CR ended line `line`, alone or as CRLF.
          prevCR = false;
          if (c === LF) {
            if (prevCRQuoted) quotedCrlfs.push(offset + i);
            else see('\r\n');
            line++;
            continue;
          }
          if (!prevCRQuoted) see('\r');
          line++;
        }
        if (c === QUOTE) quoted = !quoted;
        else if (c === CR) {
          prevCR = true;
          prevCRQuoted = quoted;
        } else if (c === LF) {
          if (!quoted) see('\n');
          line++;
        }
      }
      offset += buf.length;
    },
    /** CRLFs inside quotes before core byte `offset` (the fast path has no restarts). */
    quotedCrlfsBefore(at: number): number {
      let n = quotedCrlfsForgotten;
      for (const o of quotedCrlfs) if (o < at) n++;
      return n;
    },
    /** Folds the positions before `at` into a count, so memory stays bounded. */
    forgetBefore(at: number): void {
      if (quotedCrlfs.length === 0 || quotedCrlfs[0]! >= at) return;
      const keep = quotedCrlfs.filter((o) => o >= at);
      quotedCrlfsForgotten += quotedCrlfs.length - keep.length;
      quotedCrlfs = keep;
    },
    /** The first line that ends in CR CR LF outside quotes, if any so far. */
    doubledCr(): number | undefined {
      return doubled;
    },
    mixed(): { kind: RecordDelimiter; line: number } | undefined {
      // A CR that ended the text is a final line ending of the CR kind.
      if (prevCR && !prevCRQuoted) see('\r');
      return found;
    },
  };
}

/**
 * CR CR LF is a CRLF line ending with an extra CR, as a text-mode copy or transfer of a Windows
 * file leaves. Read as CR-separated it would put an LF at the start of every first cell, read as
 * CRLF-separated a CR at the end of every last one: either alters cells, and a blank line between
 * records is as likely, so the file is refused rather than guessed at.
 */
export function doubledCrError(file: string, line: number): QualifyError {
  return new QualifyError(
    'CSV_LINE_ENDING',
    `line ${line} ends in CR CR LF (\\r\\r\\n), a Windows line ending with an extra CR; qualify does not guess whether that is one line ending or a line ending and a blank line, so nothing was read`,
    { kind: 'csv', file, line },
    { hint: `remove the extra CRs first, e.g. sed -i 's/\\r\\r$/\\r/' ${file === 'stdin' ? 'FILE' : file}, or open the file in a spreadsheet and save it as CSV again` },
  );
}

/** Line breaks (CRLF, LF or CR, CRLF once) in core bytes [from, to) of the retained buffers. */
export function countLineBreaks(buffers: readonly Buffer[], start: number, from: number, to: number): number {
  let n = 0;
  let pos = start;
  let prevCR = false;
  for (const b of buffers) {
    const lo = Math.max(from - pos, 0);
    const hi = Math.min(to - pos, b.length);
    for (let i = lo; i < hi; i++) {
      const c = b[i]!;
      if (c === LF) {
        if (!prevCR) n++;
        prevCR = false;
      } else if (c === CR) {
        n++;
        prevCR = true;
      } else prevCR = false;
    }
    pos += b.length;
    if (pos >= to) break;
  }
  return n;
}

/**
 * The first byte of a record's own text in b[from, to): after the blank lines the parser skipped
 * before it. A blank line is a record delimiter on its own: CRLF or LF, or CR in a CR file. A
 * lone CR in an LF file (or an LF in a CR file) is a character of the first cell, not a line.
 */
export function skipBlankLines(b: Uint8Array, from: number, to: number, crFile: boolean): number {
  let s = from;
  if (crFile) while (s < to && b[s] === CR) s++;
  else {
    for (;;) {
      if (s < to && b[s] === LF) s++;
      else if (s + 1 < to && b[s] === CR && b[s + 1] === LF) s += 2;
      else break;
    }
  }
  return s;
}

/** The end of a record's text in b[from, to), before its line ending (CRLF or LF, or CR in a CR
 * file; none at the end of the text). */
export function beforeLineEnding(b: Uint8Array, from: number, to: number, crFile: boolean): number {
  if (crFile) return to > from && b[to - 1] === CR ? to - 1 : to;
  if (to > from && b[to - 1] === LF) return to - 1 > from && b[to - 2] === CR ? to - 2 : to - 1;
  return to;
}

