// Streaming CSV reader: a file or stdin in; the header, the file's form (encoding, delimiter,
// line ending, Excel `sep=` line) and batches of records as arrays of strings out. Memory is
// bounded by one chunk of text plus the parser's buffer, whatever the file size. A malformed
// row either stops the reader with a QualifyError naming the file, the record and the line
// where it starts, or (with `onReject`) is handed over verbatim and the rest is read; nothing
// is ever silently dropped, padded or merged.
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse, type CsvError, type Options as ParseOptions } from 'csv-parse';
import { QualifyError } from '../core/errors.js';
import { createDecoder, createUtf8Validator, detectEncoding, type DetectedEncoding } from './decode.js';
import { uniqueKeys } from './record-writer.js';
import { isOneColumn, parseDelimiterOption, recordDelimitersFor, sniffForm, type RecordDelimiter } from './sniff.js';
import { beforeLineEnding, countLineBreaks, createEndingScanner, doubledCrError, skipBlankLines } from './line-endings.js';

// The record's own text and line ending, for the row composer (which reads batches from here).
export { beforeLineEnding, skipBlankLines } from './line-endings.js';

export interface CsvFormInfo {
  delimiter: string;
  recordDelimiter: RecordDelimiter;
  /** Excel's `sep=;` first line, verbatim, or null. */
  sepLine: string | null;
  encoding: DetectedEncoding;
}

/** A row set aside under --skip-invalid: its text exactly as in the (decoded) file, without
 * its line ending, where it starts, and why it could not be read. */
export interface RejectedRow {
  /** 1-based line where the row starts (an Excel `sep=` line counts). */
  line: number;
  /** 1-based data record number (the header is not a record). */
  record: number;
  reason: string;
  raw: string;
  /** The blank lines just before the row, verbatim ('' if none): --in-place writes them back. */
  before?: string;
}

export interface CsvReadOptions {
  encoding?: string | undefined;
  delimiter?: string | undefined;
  /** Largest record, in bytes of UTF-8, before the reader stops with an error (an unclosed quote). */
  maxRecordSize?: number;
  /** Records per batch. */
  batchSize?: number;
  /**
   * Skip-invalid mode: a row with the wrong number of fields or a misplaced quote is passed here
   * (verbatim, with its line and reason) and reading goes on. For a quote error only the row's
   * first line is set aside and reading restarts on the next line, so one stray `"` never
   * swallows the rows after it. Without it, the first such row stops the reader.
   */
  onReject?: (row: RejectedRow) => void;
  /**
   * Also hand out each record's text exactly as in the (decoded) file (`RecordBatch.raws`, without
   * its line ending, leading blank lines dropped) and its line ending (`eols`, '' for a last line
   * without one), and the header's (`CsvInput.headerRaw`): --in-place writes input cells back from
   * these. Off by default, at no cost to the fast path.
   */
  keepRaw?: boolean;
  /**
   * Also hand out each batch's bytes as given to the parser (UTF-8) and where each row lies in
   * them (`RecordBatch.bytes`, `spans`), so that a writer can copy a row that needs no quoting
   * instead of serialising its cells again. Ignored in skip-invalid mode.
   */
  keepBytes?: boolean;
}

/** Data records; `recordNumbers[i]` is the record number of row i, set only in skip-invalid mode
 * (where rows set aside leave gaps). Otherwise rows are numbered consecutively. */
export type RecordBatch = string[][] & {
  recordNumbers?: number[];
  /** With `keepRaw`: the text of row i as in the file, without its line ending. */
  raws?: string[];
  /** With `keepRaw`: the line ending of row i ('\r\n', '\n', '\r', or '' at the end of the text). */
  eols?: string[];
  /** With `keepRaw`: the blank lines just before row i, verbatim ('' if none). */
  leads?: string[];
  /** With `keepBytes`: UTF-8 bytes holding the batch's rows. */
  bytes?: Buffer;
  /** With `keepBytes`: row i lies in bytes[spans[2i], spans[2i + 1]), blank lines before it and
   * its line ending included; -1 and -1 when it is not all in `bytes` (it began in an earlier
   * slice of the file). */
  spans?: Int32Array;
};

/** A record's text as in the file, without its line ending, and that ending ('' if none). */
export interface RawRecord {
  text: string;
  eol: string;
  /** The blank lines just before the record, verbatim ('' if none). */
  lead: string;
}

export interface CsvInput {
  /** Name for messages: the path, or "stdin". */
  file: string;
  header: string[];
  /** With `keepRaw`: the header line as in the file (after a BOM or `sep=` line), else null. */
  headerRaw: RawRecord | null;
  form: CsvFormInfo;
  /** Size in bytes when reading a regular file (for progress), else null. */
  totalBytes: number | null;
  bytesRead(): number;
  /** Batches of data records (the header excluded). Iterate once. */
  batches(): AsyncGenerator<RecordBatch>;
  /** Data records read so far, including rows set aside. */
  records(): number;
  /** About how many data records the whole file holds, from the size of those read so far;
   * null when the size is unknown (stdin) or nothing was read yet. For sizing, not counting. */
  estimatedRecords(): number | null;
  /** Rows set aside so far (skip-invalid mode). */
  rejected(): number;
  /** Whether the text ends with a line ending; meaningful once every batch was read. */
  finalNewline(): boolean;
  /** With `keepRaw`: the blank lines after the last record, verbatim; known once every batch was read. */
  trailingBlankLines(): string;
  /** Things about the input worth a person's attention, each once, without the "note:" prefix:
   * duplicate or blank header names, mixed line endings (known once every batch was read). */
  notes(): string[];
}

/** A size in bytes the way --max-record-size takes it: `16 MB`, `512 KB`, or bytes (1 MB = 1024 KB = 1,048,576 bytes). */
export function formatByteSize(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KB`;
  return `${n} bytes`;
}

/** Large enough for a 10 MB notes cell; small enough that an unclosed quote near the top of a
 * big file is reported after reading this much, not at the end of the file. */
export const DEFAULT_MAX_RECORD_SIZE = 16 * 1024 * 1024;

/**
 * csv-parse's synchronous core, which its own stream class drives (`parser.api`): `parse(buf,
 * end, push, close)` returns an error instead of emitting it. Driving it directly lets the reader
 * read `info.lines` as each record is pushed (the start line of a bad record, with no object per
 * record), hand out whole chunks of records without one promise per record, and restart after a
 * bad row. Not in csv-parse's typings; checked at creation and covered by the csv-spectrum tests.
 */
interface ParserCore {
  parse(buf: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
  info: { lines: number; bytes: number; empty_lines: number };
}

function createCore(options: ParseOptions): ParserCore {
  const api = (parse(options) as unknown as { api?: ParserCore }).api;
  if (api === undefined || typeof api.parse !== 'function' || typeof api.info?.lines !== 'number') {
    throw new Error('csv-parse no longer exposes its parser core (parser.api); src/io/csv-reader.ts needs updating');
  }
  return api;
}

/** Where a search for a bad row's first line has got to (skip-invalid mode): core offsets. */
interface LineSearch {
  /** Everything before this offset was looked at. */
  pos: number;
  /** Where the line's text starts, after the blank lines before it; -1 while still skipping them. */
  start: number;
  blankLines: number;
}

const noop = () => {};
const SLICE = 64 * 1024;
const CR = 0x0d;
const LF = 0x0a;
const QUOTE = 0x22;
const ENDING_NAME: Readonly<Record<RecordDelimiter, string>> = { '\r\n': 'CRLF', '\n': 'LF', '\r': 'CR' };

/** The byte stream of a path or of stdin ('-'), its name for messages and its size (a regular
 * file's, for progress; null for stdin). A missing path or a directory is FILE_NOT_FOUND. */
function openSource(path: string): { file: string; source: Readable; totalBytes: number | null } {
  if (path === '-') return { file: 'stdin', source: process.stdin, totalBytes: null };
  let totalBytes: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new QualifyError('FILE_NOT_FOUND', `${path} is a directory, not a CSV file`, { kind: 'file', file: path });
    totalBytes = st.size;
  } catch (e) {
    if (e instanceof QualifyError) throw e;
    throw new QualifyError('FILE_NOT_FOUND', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { kind: 'file', file: path });
  }
  // 64 KiB reads: 1 MiB ones kept ~35 MB more alive and were no faster (bench/README.md).
  return { file: path, source: createReadStream(path, { highWaterMark: 1 << 16 }), totalBytes };
}

/** The first bytes of the stream, enough to see a byte-order mark (and UTF-16's NULs), and
 * whether that was all of it. */
async function readHead(byteIter: AsyncIterator<Buffer>): Promise<{ headBuf: Buffer; sourceDone: boolean }> {
  const head: Buffer[] = [];
  let headLen = 0;
  while (headLen < 4096) {
    const n = await byteIter.next();
    if (n.done) return { headBuf: Buffer.concat(head), sourceDone: true };
    head.push(n.value);
    headLen += n.value.length;
  }
  return { headBuf: Buffer.concat(head), sourceDone: false };
}

export async function openCsv(path: string, opts: CsvReadOptions = {}): Promise<CsvInput> {
  // A bad --delimiter is a usage error, reported before any input is read.
  const delimiterOption = opts.delimiter === undefined ? undefined : parseDelimiterOption(opts.delimiter);
  const { file, source, totalBytes } = openSource(path);
  const byteIter = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const { headBuf, sourceDone } = await readHead(byteIter);
  let bytes = headBuf.length;
  if (headBuf.length === 0) throw new QualifyError('CSV_EMPTY', `${file} is empty: there is no header line`, { kind: 'csv', file, line: 1 });
  const encoding = detectEncoding(headBuf, opts.encoding, file);

  // Everything goes through one decoder; the first text settles the form. UTF-8 stays bytes
  // (validated), which is what csv-parse parses; other encodings are decoded to text.
  const decoder = encoding.encoding === 'utf8' ? createUtf8Validator(file) : createDecoder(encoding, file);
  const feed = async () => {
    try {
      decoder.write(headBuf);
      if (!sourceDone) {
        for (;;) {
          const n = await byteIter.next();
          if (n.done) break;
          bytes += n.value.length;
          if (!decoder.write(n.value)) await new Promise((r) => decoder.once('drain', r));
        }
      }
      decoder.end();
    } catch (e) {
      decoder.destroy(e as Error);
    }
  };
  void feed();
  const textIter = decoder[Symbol.asyncIterator]() as AsyncIterator<string | Buffer>;
  let headText = '';
  let textDone = false;
  // Read until the first line (and the one after, for the line ending) is complete.
  while (!/\r|\n/.test(stripSep(headText)) || headText.length < 8192) {
    const n = await textIter.next();
    if (n.done) {
      textDone = true;
      break;
    }
    // A validated UTF-8 chunk ends on a character boundary, so it decodes on its own.
    headText += typeof n.value === 'string' ? n.value : n.value.toString('utf8');
  }
  const sniffed = sniffForm(headText, { delimiter: delimiterOption });
  const form: CsvFormInfo = { delimiter: sniffed.delimiter, recordDelimiter: sniffed.recordDelimiter, sepLine: sniffed.sepLine, encoding };
  let body = headText.charCodeAt(0) === 0xfeff ? headText.slice(1) : headText;
  if (form.sepLine !== null) body = body.slice(form.sepLine.length).replace(/^(\r\n|\n|\r)/, '');
  // The header line sits on line 2 when an Excel sep= line precedes it.
  const lineOffset = form.sepLine !== null ? 1 : 0;

  const skipInvalid = opts.onReject !== undefined;
  const keepRaw = opts.keepRaw === true;
  const keepBytes = opts.keepBytes === true && !skipInvalid;
  // Keep the bytes given to the core since the last good record (skip-invalid mode, keepRaw), or
  // since the first row not yet handed out (keepBytes).
  const retain = skipInvalid || keepRaw || keepBytes;
  const onReject = opts.onReject ?? noop;
  const oneColumn = isOneColumn(body, form.delimiter);
  /** A blank line before the header of a one-column file, which the parser hands over as a record. */
  const isBlankBeforeHeader = (record: string[]) => oneColumn && header === undefined && record.length === 1 && record[0] === '' ;
  const parseOptions: ParseOptions = {
    delimiter: form.delimiter,
    // CRLF and LF both end records (a CRLF header with LF rows appended is not fused into one).
    record_delimiter: recordDelimitersFor(form),
    bom: false, // the decoder already removed it
    // Widths are checked here in skip-invalid mode, so that a ragged row is set aside whole.
    relax_column_count: skipInvalid,
    // A blank line is a line to skip, except in a one-column file, where it is a record with
    // one empty cell (blank lines before the header are skipped there too: see isBlankBeforeHeader).
    skip_empty_lines: !oneColumn,
    max_record_size: opts.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE,
  };
  let core = createCore(parseOptions);
  // Which bytes end a record (recordDelimitersFor): CR alone in a CR file, else CRLF or LF.
  const crFile = form.recordDelimiter === '\r';
  const endings = createEndingScanner(form.recordDelimiter, lineOffset);

  // Parser state. Lines and bytes count from the start of what the current core was given;
  // `lineBase` turns them into file lines (a restart begins a new core). csv-parse's own line
  // count is used on the fast path (it is read as each record is pushed, for free) and corrected
  // for a CRLF inside a quoted value, which it counts twice; skip-invalid mode counts the line
  // breaks of the bytes it keeps anyway.
  let lineBase = lineOffset;
  let lastEndLine = 0; // core line on which the last pushed record ended (csv-parse's count)
  let lastEmpty = 0; // core.info.empty_lines at that moment
  let lastEndByte = 0; // core byte offset just after that record
  let nextLine = 1; // skip-invalid mode: the exact core line at lastEndByte
  let header: string[] | undefined;
  let recordNo = 0;
  let rejectedCount = 0;
  let pending: string[][] = [];
  let pendingNumbers: number[] = [];
  let pendingRaws: string[] = [];
  let pendingEols: string[] = [];
  let pendingLeads: string[] = [];
  let trailing = '';
  let pendingSpans: number[] = [];
  let headerRaw: RawRecord | null = null;
  let failure: Error | undefined;
  let finished = false;
  let lastByte = -1;
  // Skip-invalid mode keeps the bytes given to the core since the last good record, to cut a
  // bad row's text out verbatim. `retainedStart` is the core offset of retained[0].
  let retained: Buffer[] = [];
  let retainedStart = 0;

  const startLine = () =>
    skipInvalid
      ? lineBase + nextLine + (core.info.empty_lines - lastEmpty)
      : lineBase + lastEndLine + 1 + (core.info.empty_lines - lastEmpty) - endings.quotedCrlfsBefore(lastEndByte);

  const pushFast = (record: string[]) => {
    if (isBlankBeforeHeader(record)) return;
    if (header === undefined) header = record;
    else {
      recordNo++;
      pending.push(record);
    }
    lastEndLine = core.info.lines;
    lastEmpty = core.info.empty_lines;
    lastEndByte = core.info.bytes;
  };

  /** A pending record's text and line ending (keepRaw). */
  const keepRawText = (from: number, to: number) => {
    const raw = cutRaw(from, to, !oneColumn);
    pendingRaws.push(raw.text);
    pendingEols.push(raw.eol);
    pendingLeads.push(raw.lead);
  };

  /** keepRaw or keepBytes without skip-invalid: pushFast plus the record's text or its span. */
  const pushRaw = (record: string[]) => {
    if (isBlankBeforeHeader(record)) return;
    const end = core.info.bytes;
    if (header === undefined) {
      header = record;
      if (keepRaw) headerRaw = cutRaw(lastEndByte, end, true);
    } else {
      recordNo++;
      pending.push(record);
      if (keepBytes) pendingSpans.push(lastEndByte, end);
      if (keepRaw) keepRawText(lastEndByte, end);
    }
    lastEndLine = core.info.lines;
    lastEmpty = core.info.empty_lines;
    lastEndByte = end;
  };

  const pushChecked = (record: string[]) => {
    if (isBlankBeforeHeader(record)) return;
    const end = core.info.bytes;
    if (header === undefined) {
      header = record;
      if (keepRaw) headerRaw = cutRaw(lastEndByte, end, true);
    } else {
      recordNo++;
      if (record.length !== header.length) {
        const cut = cutRow(lastEndByte, end);
        rejectedCount++;
        onReject({ line: lineBase + nextLine + cut.blankLines, record: recordNo, reason: `has ${record.length} field${record.length === 1 ? '' : 's'} but the header has ${header.length}`, raw: cut.text, ...(cut.before ? { before: cut.before } : {}) });
      } else {
        pending.push(record);
        pendingNumbers.push(recordNo);
        if (keepRaw) keepRawText(lastEndByte, end);
      }
    }
    lastEndLine = core.info.lines;
    lastEmpty = core.info.empty_lines;
    nextLine += countLineBreaks(retained, retainedStart, lastEndByte, end);
    lastEndByte = end;
  };
  const push = skipInvalid ? pushChecked : keepRaw || keepBytes ? pushRaw : pushFast;

  function retainedBytes(from: number, to: number): Buffer {
    const all = retained.length === 1 ? retained[0]! : Buffer.concat(retained);
    retained = [all];
    return all.subarray(from - retainedStart, to - retainedStart);
  }

  /** The text between two core offsets minus leading blank lines (none in a one-column file,
   * where they are records) and one trailing line ending. */
  function cutRow(from: number, to: number): { text: string; blankLines: number; before: string } {
    const b = retainedBytes(from, to);
    const s = oneColumn ? 0 : skipBlankLines(b, 0, b.length, crFile);
    return { text: b.toString('utf8', s, beforeLineEnding(b, s, b.length, crFile)), blankLines: countLineBreaks([b], 0, 0, s), before: b.toString('latin1', 0, s) };
  }

  /** A record's text between two core offsets, its line ending and (with `skipBlanks`) the blank
   * lines before it apart. */
  function cutRaw(from: number, to: number, skipBlanks: boolean): RawRecord {
    const b = retainedBytes(from, to);
    const s = skipBlanks ? skipBlankLines(b, 0, b.length, crFile) : 0;
    const e = beforeLineEnding(b, s, b.length, crFile);
    return { text: b.toString('utf8', s, e), eol: b.toString('latin1', e), lead: b.toString('latin1', 0, s) };
  }

  function dropRetainedBefore(offset: number): void {
    while (retained.length > 0 && retainedStart + retained[0]!.length <= offset) {
      retainedStart += retained[0]!.length;
      retained.shift();
    }
    // Trim a buffer that starts before `offset` (once concatenated, retained[0] runs to the end
    // of the text given so far, and would otherwise grow with every slice).
    if (retained.length > 0 && retainedStart < offset) {
      retained[0] = retained[0]!.subarray(offset - retainedStart);
      retainedStart = offset;
    }
  }

  /** The byte at core offset `at` of the retained buffers, or -1 past their end. */
  function retainedByte(at: number): number {
    let pos = retainedStart;
    for (const b of retained) {
      if (at < pos + b.length) return b[at - pos]!;
      pos += b.length;
    }
    return -1;
  }

  /**
   * The first non-blank line at or after the search's core offset, as offsets; undefined when its
   * end is not in the retained bytes yet (and more text may come): call again with the same
   * search once more text is retained. The search remembers how far it got, so a line that
   * arrives in many slices (an oversized record) is scanned once, in linear time, and the
   * retained buffers are never concatenated meanwhile.
   */
  function firstLine(search: LineSearch, atEnd: boolean): { start: number; end: number; next: number; blankLines: number } | undefined {
    let total = retainedStart;
    for (const b of retained) total += b.length;
    let i = search.pos;
    if (search.start < 0) {
      for (;;) {
        const c = retainedByte(i);
        if (c !== CR && c !== LF) break;
        if (c === CR) {
          if (i + 1 === total && !atEnd) return undefined;
          if (retainedByte(i + 1) === LF) i++;
        }
        i++;
        search.blankLines++;
        search.pos = i;
      }
      search.start = i;
    }
    // Look for the line's end in the bytes not scanned yet.
    let end = -1;
    let pos = retainedStart;
    for (const b of retained) {
      if (pos + b.length > i) {
        for (let k = Math.max(i - pos, 0); k < b.length; k++) {
          const c = b[k]!;
          if (c === CR || c === LF) {
            end = pos + k;
            break;
          }
        }
        if (end >= 0) break;
      }
      pos += b.length;
    }
    if (end < 0) {
      search.pos = total;
      return atEnd ? { start: search.start, end: total, next: total, blankLines: search.blankLines } : undefined;
    }
    search.pos = end;
    let next = end + 1;
    if (retainedByte(end) === CR) {
      if (next === total && !atEnd) return undefined;
      if (retainedByte(next) === LF) next++;
    }
    return { start: search.start, end, next, blankLines: search.blankLines };
  }

  let bodyGiven = false;
  let textBuf: Buffer = Buffer.alloc(0);
  let textAt = 0;
  /** The next slice of text as UTF-8 bytes (csv-parse's unit), at most SLICE bytes: records are
   * handed out after each slice, so few are alive at once (whole 1 MiB chunks of records outlive
   * the young generation and tripled the GC time). */
  async function nextText(): Promise<Buffer | undefined> {
    while (textAt >= textBuf.length) {
      let text: string | Buffer;
      if (!bodyGiven) {
        bodyGiven = true;
        text = body;
      } else {
        if (textDone) return undefined;
        const n = await textIter.next();
        if (n.done) {
          textDone = true;
          return undefined;
        }
        text = n.value;
      }
      textBuf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
      textAt = 0;
      if (textBuf.length > 0) lastByte = textBuf[textBuf.length - 1]!;
    }
    const slice = textBuf.subarray(textAt, Math.min(textBuf.length, textAt + SLICE));
    textAt += slice.length;
    endings.scan(slice);
    const doubled = endings.doubledCr();
    if (doubled !== undefined) throw doubledCrError(file, doubled);
    return slice;
  }

  /** Parses the next chunk of text (or the end). Sets `failure` on a row that stops reading. */
  async function step(): Promise<void> {
    let input = await nextText();
    let atEnd = input === undefined;
    for (;;) {
      if (retain && input !== undefined) retained.push(input);
      const err = core.parse(input, atEnd, push, noop);
      if (err === undefined) break;
      if (!skipInvalid || header === undefined || !isCsvError(err)) {
        const line = startLine();
        failure = csvError(err, file, 0, { line, ...(header === undefined ? {} : { record: recordNo + 1 }), ranOnTo: lineBase + errorLine(err) });
        finished = true;
        return;
      }
      // Set the bad row's first line aside and restart on the next line with a fresh parser.
      const search: LineSearch = { pos: lastEndByte, start: -1, blankLines: 0 };
      let line = firstLine(search, atEnd);
      while (line === undefined) {
        const more = await nextText();
        if (more === undefined) atEnd = true;
        else retained.push(more);
        line = firstLine(search, atEnd);
      }
      let retainedEnd = retainedStart;
      for (const b of retained) retainedEnd += b.length;
      const all = retainedBytes(retainedStart, retainedEnd);
      const fileLine = lineBase + nextLine + line.blankLines;
      recordNo++;
      rejectedCount++;
      onReject({
        line: fileLine,
        record: recordNo,
        reason: describeCsvError(err, fileLine, lineBase + errorLine(err)).reason,
        raw: all.subarray(line.start - retainedStart, line.end - retainedStart).toString('utf8'),
        ...(line.blankLines > 0 ? { before: all.toString('latin1', lastEndByte - retainedStart, line.start - retainedStart) } : {}),
      });
      const rest = all.subarray(line.next - retainedStart);
      core = createCore(parseOptions);
      lineBase = fileLine;
      lastEndLine = 0;
      lastEmpty = 0;
      lastEndByte = 0;
      nextLine = 1;
      retained = [];
      retainedStart = 0;
      input = rest.length > 0 || !atEnd ? Buffer.from(rest) : undefined;
    }
    if (atEnd && keepRaw) {
      // What follows the last record: blank lines only (anything else would be a record).
      let retainedEnd = retainedStart;
      for (const b of retained) retainedEnd += b.length;
      trailing = retainedBytes(lastEndByte, retainedEnd).toString('latin1');
    }
    if (retain) dropRetainedBefore(pendingSpans.length > 0 ? pendingSpans[0]! : lastEndByte);
    if (!skipInvalid) endings.forgetBefore(lastEndByte);
    if (atEnd) finished = true;
  }

  while (header === undefined && !finished) await step();
  if (header === undefined) {
    if (failure) throw failure;
    throw new QualifyError('CSV_EMPTY', `${file} has no header line (only blank lines)`, { kind: 'csv', file, line: 1 });
  }
  const theHeader: string[] = header;
  const batchSize = opts.batchSize ?? 512;
  const headerNote = headerNotes(theHeader, file);

  async function* batches(): AsyncGenerator<RecordBatch> {
    for (;;) {
      if (pending.length > 0) {
        const rows = pending;
        const numbers = pendingNumbers;
        const raws = pendingRaws;
        const eols = pendingEols;
        const leads = pendingLeads;
        const spans = pendingSpans;
        pending = [];
        pendingSpans = [];
        pendingNumbers = [];
        if (keepRaw) {
          pendingRaws = [];
          pendingEols = [];
          pendingLeads = [];
        }
        for (let i = 0; i < rows.length; i += batchSize) {
          const batch: RecordBatch = rows.length <= batchSize ? rows : rows.slice(i, i + batchSize);
          if (skipInvalid) batch.recordNumbers = numbers.length <= batchSize ? numbers : numbers.slice(i, i + batchSize);
          if (keepRaw) {
            batch.raws = raws.length <= batchSize ? raws : raws.slice(i, i + batchSize);
            batch.eols = eols.length <= batchSize ? eols : eols.slice(i, i + batchSize);
            batch.leads = leads.length <= batchSize ? leads : leads.slice(i, i + batchSize);
          }
          if (keepBytes) {
            // The rows of one step end in the last slice given to the parser. A row that began
            // in an earlier slice (the first, at most) gets no span rather than a copy of both.
            const last = retained[retained.length - 1]!;
            let lastStart = retainedStart;
            for (let r = 0; r < retained.length - 1; r++) lastStart += retained[r]!.length;
            const local = new Int32Array(2 * batch.length);
            for (let k = 0; k < batch.length; k++) {
              const from = spans[2 * (i + k)]!;
              local[2 * k] = from >= lastStart ? from - lastStart : -1;
              local[2 * k + 1] = from >= lastStart ? spans[2 * (i + k) + 1]! - lastStart : -1;
            }
            batch.bytes = last;
            batch.spans = local;
          }
          yield batch;
        }
      }
      if (failure) throw failure;
      if (finished) return;
      await step();
    }
  }

  return {
    file,
    header: theHeader,
    headerRaw,
    form,
    totalBytes,
    bytesRead: () => bytes,
    batches,
    records: () => recordNo,
    estimatedRecords: () => (totalBytes === null || recordNo === 0 || lastEndByte === 0 ? null : Math.ceil((totalBytes * (recordNo + 1)) / lastEndByte)),
    rejected: () => rejectedCount,
    finalNewline: () => lastByte === CR || lastByte === LF,
    trailingBlankLines: () => trailing,
    notes: () => {
      const notes = headerNote.slice();
      const mixed = endings.mixed();
      if (mixed) {
        notes.push(
          `${file}: mixed line endings: ${ENDING_NAME[form.recordDelimiter]} first, then ${ENDING_NAME[mixed.kind]} from line ${mixed.line}; every record was read, and ${keepRaw ? 'each row keeps its own line ending' : `qualify writes ${ENDING_NAME[form.recordDelimiter]} throughout`}`,
        );
      }
      return notes;
    },
  };
}

function stripSep(text: string): string {
  return text.replace(/^\ufeff?sep=.?(\r\n|\n|\r)/i, '');
}

/**
 * Notes for duplicate and blank header names: every such column is kept and written back as it
 * is; JSON keys (and messages) tell them apart as uniqueKeys does (`Email_2`, `column_4`).
 */
export function headerNotes(header: readonly string[], file: string): string[] {
  const keys = uniqueKeys(header);
  const byName = new Map<string, number[]>();
  const blank: number[] = [];
  header.forEach((h, i) => {
    if (h.trim() === '') blank.push(i + 1);
    else byName.set(h, [...(byName.get(h) ?? []), i + 1]);
  });
  const parts: string[] = [];
  for (const [name, cols] of byName) if (cols.length > 1) parts.push(`${JSON.stringify(name)} is the name of columns ${cols.join(', ')}`);
  if (blank.length) parts.push(`column${blank.length > 1 ? 's' : ''} ${blank.join(', ')} ha${blank.length > 1 ? 've' : 's'} no name`);
  if (parts.length === 0) return [];
  const renamed = keys.map((k, i) => (k !== header[i] ? k : null)).filter((k): k is string => k !== null);
  return [`${file}: ${parts.join('; ')}; every column is kept and written back as it is (JSON keys: ${renamed.join(', ')})`];
}

function errorLine(err: Error): number {
  return (err as { lines?: number }).lines ?? 0;
}

function isCsvError(e: unknown): e is CsvError {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('CSV_') || code === 'INVALID_OPENING_QUOTE');
}

/** What is wrong with a record, in plain words, for messages and the rejects file. A quote error
 * found on a later line than the record's first (`ranOnTo`) means a quoted value opened there
 * swallowed the line breaks after it: that is what the user has to fix. */
export function describeCsvError(err: CsvError, line?: number, ranOnTo?: number): { reason: string; hint?: string } {
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
    return { reason: 'has a quote that is never closed: the quoted value runs on to the end of the file', hint: 'look for a stray " in that row' };
  }
  if (err.code === 'CSV_MAX_RECORD_SIZE') {
    // Said before the ran-on case: an oversized record spans many lines whether or not its
    // quotes are closed, and the limit (with the option that raises it) is what the user needs.
    const limit = Number(/of (\d+)/.exec(err.message)?.[1] ?? DEFAULT_MAX_RECORD_SIZE);
    return {
      reason: `is larger than the record size limit of ${formatByteSize(limit)} (--max-record-size)${line !== undefined && ranOnTo !== undefined && ranOnTo > line ? `: a quoted value opened on its line ran on to line ${ranOnTo}` : ''}`,
      hint: `if the row really is that large, raise the limit, e.g. --max-record-size ${formatByteSize(Math.max(limit * 4, 1 << 20)).replace(' ', '')}; if not, look for a stray " that opens a quoted value never closed`,
    };
  }
  if (line !== undefined && ranOnTo !== undefined && ranOnTo > line && err.code !== 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
    return {
      reason: `has a quote that is not closed on its line: the quoted value ran on to line ${ranOnTo}`,
      hint: 'look for a stray " in that row; a value that contains quotes must itself be wrapped in quotes, with inner quotes doubled ("")',
    };
  }
  switch (err.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
      const m = /expect (\d+), got (\d+)/.exec(err.message) ?? /length is (\d+), got (\d+)/.exec(err.message);
      const [expect, got] = m ? [m[1], m[2]] : ['?', '?'];
      return {
        reason: `has ${got} fields but the header has ${expect}`,
        hint: 'an unquoted comma inside a value, or a row the exporting tool cut short; fix the row, or use --skip-invalid to set such rows aside',
      };
    }
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE': {
      const got = /got "([^]*?)" at line/.exec(err.message)?.[1];
      return {
        reason: `has a misplaced quote: a quoted value is followed by ${got === undefined ? 'text' : JSON.stringify(got)} instead of a delimiter or the end of the line`,
        hint: 'a value that contains quotes must itself be wrapped in quotes, with inner quotes doubled ("")',
      };
    }
    case 'INVALID_OPENING_QUOTE': {
      const value = /value is ("(?:[^"\\]|\\.)*")/.exec(err.message)?.[1];
      return {
        reason: `has a misplaced quote: a quote follows the unquoted text ${value ?? ''} in a value`.replace('  ', ' '),
        hint: 'a value that contains quotes must itself be wrapped in quotes, with inner quotes doubled ("")',
      };
    }
    default:
      return { reason: `cannot be read: ${err.message}` };
  }
}

/**
 * csv-parse's coded errors become QualifyErrors with the record and line, in plain words. `at`
 * gives the data record and the line where it starts when the caller knows them; otherwise they
 * come from the error (csv-parse counts the header as record 1, so its count of records before
 * the bad one is the bad one's data record number) and `lineOffset` is added to its line.
 */
export function csvError(e: unknown, file: string, lineOffset = 0, at?: { record?: number; line: number; ranOnTo?: number }): Error {
  if (e instanceof QualifyError) return e;
  if (!isCsvError(e)) return e as Error;
  const err = e as CsvError & { lines?: number; records?: number };
  const line = at?.line ?? (err.lines ?? 0) + lineOffset;
  const record = at ? at.record : err.records;
  const { reason, hint } = describeCsvError(err, at?.line, at?.ranOnTo);
  // The column count csv-parse gives is the fields read before it stopped; a width error has none.
  const fields = (err as { column?: unknown }).column;
  const field = typeof fields === 'number' && err.code !== 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && err.code !== 'CSV_RECORD_INCONSISTENT_COLUMNS' ? fields + 1 : undefined;
  // Where it is stays data: src/ui/diagnostics.ts puts "record N (line L)" before the reason.
  return new QualifyError(
    'CSV_BAD_RECORD',
    reason,
    { kind: 'csv', file, line, ...(record === undefined ? { about: 'header' } : { record, about: 'record' }), ...(field === undefined ? {} : { field }) },
    hint ? { hint } : {},
  );
}
