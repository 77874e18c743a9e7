// The form of a CSV file, read from its first chunk of decoded text: Excel's `sep=` line, the
// delimiter (from the header line only, ignoring quoted text) and the record delimiter, so the
// reader parses it right and an in-place writer can write it back the same way. Pure; throws
// only ARG_INVALID for a --delimiter it does not know.
import { QualifyError } from '../core/errors.js';
import type { DetectedEncoding } from './decode.js';

export type RecordDelimiter = '\r\n' | '\n' | '\r';

export interface CsvForm {
  delimiter: string;
  /** The first line ending outside quotes; what a writer uses for every record. */
  recordDelimiter: RecordDelimiter;
  /** Every kind of line ending seen outside quotes in the sniffed text, first one first. More
   * than one means a mixed file (typically a CRLF file with rows appended by a script). */
  lineEndings: RecordDelimiter[];
  /** Excel's `sep=;` first line, verbatim without its line ending, or null. */
  sepLine: string | null;
  encoding: DetectedEncoding;
  /** Whether the last record ends with a line ending; known only once the whole file is read. */
  finalNewline?: boolean;
}

export type SniffedForm = Omit<CsvForm, 'encoding' | 'finalNewline'>;

const CANDIDATES = [',', ';', '\t', '|'] as const;
/** Tie-break when two candidates are equally frequent in the header and the next line does not
 * settle it: characters that rarely appear inside header names first. */
const TIE_ORDER = ['\t', ';', '|', ','] as const;

const DELIMITER_NAMES: ReadonlyMap<string, string> = new Map([
  [',', ','],
  ['comma', ','],
  [';', ';'],
  ['semicolon', ';'],
  ['\t', '\t'],
  ['\\t', '\t'],
  ['tab', '\t'],
  ['|', '|'],
  ['pipe', '|'],
]);

/** `sep=X` where X is any single character but a quote or a line break. */
const SEP_LINE = /^sep=([^"\r\n])(?=\r\n|\n|\r|$)/i;

/** Reads a `--delimiter` value: `,` `;` `|` a TAB, or the names comma, semicolon, tab (`\t`),
 * pipe. Throws ARG_INVALID naming the allowed values. */
export function parseDelimiterOption(value: string): string {
  const d = DELIMITER_NAMES.get(value.length === 1 ? value : value.trim().toLowerCase());
  if (d === undefined) {
    throw new QualifyError('ARG_INVALID', `unknown delimiter "${value}"; use one of , ; | tab (or comma, semicolon, pipe)`, {
      kind: 'arg',
      option: '--delimiter',
    });
  }
  return d;
}

/**
 * Sniffs the form from the start of the decoded text (BOM already stripped; a leading U+FEFF is
 * ignored anyway). Pass at least the first full record, ideally the first 64 KiB.
 * - delimiter: `opts.delimiter` wins, then a `sep=` line, then the most frequent of , ; TAB |
 *   in the header line outside quotes (ties settled by the next line, then TAB ; | ,); `,` when
 *   the header has none (a one-column file).
 * - recordDelimiter: the first CRLF, LF or lone CR outside quotes; CRLF (RFC 4180) when the text
 *   has no line ending at all. Mixed files are reported in `lineEndings`, and the reader should
 *   accept both CRLF and LF as record ends (see recordDelimitersFor) rather than fuse records.
 */
export function sniffForm(headText: string, opts: { delimiter?: string } = {}): SniffedForm {
  const text = headText.charCodeAt(0) === 0xfeff ? headText.slice(1) : headText;
  let sepLine: string | null = null;
  let start = 0;
  let delimiter = opts.delimiter === undefined ? undefined : parseDelimiterOption(opts.delimiter);

  const sep = SEP_LINE.exec(text);
  if (sep) {
    sepLine = sep[0];
    delimiter ??= sep[1]!;
    start = sep[0].length;
  }

  const lineEndings = scanLineEndings(text);
  const recordDelimiter = lineEndings[0] ?? '\r\n';

  if (delimiter === undefined) {
    const afterSep = sepLine === null ? 0 : skipLineEnding(text, start);
    const header = countOutsideQuotes(text, afterSep);
    const next = header.end < text.length ? countOutsideQuotes(text, header.end) : undefined;
    delimiter = pickDelimiter(header.counts, next?.complete ? next.counts : undefined);
  }
  return { delimiter, recordDelimiter, lineEndings, sepLine };
}

/** csv-parse's `record_delimiter` for a sniffed form: a file whose first line ends in CRLF or LF
 * accepts both, so a CRLF header followed by LF rows (or the reverse) is never fused into one
 * record; a lone-CR (old Mac Excel) file accepts only CR. */
export function recordDelimitersFor(form: Pick<CsvForm, 'recordDelimiter'>): RecordDelimiter[] {
  return form.recordDelimiter === '\r' ? ['\r'] : ['\r\n', '\n'];
}

/**
 * Whether the header line (the first non-blank line of `body`, the text after any BOM and `sep=`
 * line) has a single field: no `delimiter` outside quotes. In such a file a blank line is a
 * record whose one cell is empty (Excel writes an empty row so), not a line to skip.
 */
export function isOneColumn(body: string, delimiter: string): boolean {
  let i = 0;
  while (i < body.length && (body.charCodeAt(i) === 0x0a || body.charCodeAt(i) === 0x0d)) i++;
  let quoted = false;
  for (; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (ch === delimiter) return false;
    else if (ch === '\n' || ch === '\r') return true;
  }
  return true;
}

function skipLineEnding(text: string, i: number): number {
  if (text.charCodeAt(i) === 0x0d) return text.charCodeAt(i + 1) === 0x0a ? i + 2 : i + 1;
  if (text.charCodeAt(i) === 0x0a) return i + 1;
  return i;
}

/** The kinds of line ending outside quotes, in order of first appearance. A CR at the very end
 * of the text is counted as a lone CR only when no other ending was seen. */
function scanLineEndings(text: string): RecordDelimiter[] {
  const seen: RecordDelimiter[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (!quoted && (c === 0x0a || c === 0x0d)) {
      let kind: RecordDelimiter;
      if (c === 0x0a) kind = '\n';
      else if (text.charCodeAt(i + 1) === 0x0a) {
        kind = '\r\n';
        i++;
      } else if (i + 1 === text.length && seen.length > 0) break; // CRLF cut by the chunk end
      else kind = '\r';
      if (!seen.includes(kind)) seen.push(kind);
      if (seen.length === 3) break;
    }
  }
  return seen;
}

interface LineCounts {
  counts: Record<(typeof CANDIDATES)[number], number>;
  /** Index after the line's ending (or the text's end). */
  end: number;
  /** The line ended within the text. */
  complete: boolean;
}

function countOutsideQuotes(text: string, from: number): LineCounts {
  const counts = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 0x2c) counts[',']++;
    else if (c === 0x3b) counts[';']++;
    else if (c === 0x09) counts['\t']++;
    else if (c === 0x7c) counts['|']++;
    else if (c === 0x0a || c === 0x0d) return { counts, end: skipLineEnding(text, i), complete: true };
  }
  return { counts, end: text.length, complete: false };
}

function pickDelimiter(header: LineCounts['counts'], next: LineCounts['counts'] | undefined): string {
  let best = 0;
  for (const d of CANDIDATES) best = Math.max(best, header[d]);
  if (best === 0) return ',';
  let tied = TIE_ORDER.filter((d) => header[d] === best);
  if (tied.length > 1 && next !== undefined) {
    // A real delimiter splits the next record into as many fields as the header.
    const consistent = tied.filter((d) => next[d] === header[d]);
    if (consistent.length > 0) tied = consistent;
  }
  return tied[0]!;
}
