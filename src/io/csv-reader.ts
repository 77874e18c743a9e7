// Streaming CSV reader, the front end `score` uses: a file or stdin in; the header, the file's
// form (encoding, delimiter, line ending, Excel `sep=` line) and batches of records as arrays of
// strings out. Memory is bounded by one chunk of text plus the parser's buffer, whatever the
// file size. A malformed row either stops the reader with a QualifyError naming the file, the
// record and the line where it starts, or (with `onReject`) is handed over verbatim and the rest
// is read; nothing is ever silently dropped, padded or merged. The steps it shares with the
// whole-document reader (csv-row-update.ts) live in ./csv/: source bytes, encoding and decoding,
// the form, csv-parse's options and its errors in plain words; line endings in line-endings.ts.
import type { CsvError } from 'csv-parse';
import { DEFAULT_MAX_RECORD_SIZE, csvError, describeCsvError, errorLine, isCsvError } from './csv/errors.js';
import { openDecodedStream } from './csv/decoded-text.js';
import { ENDING_NAME, headerLineOffset, parseOptionsFor, sepPrefix, settleForm, type CsvFormInfo } from './csv/form.js';
import { headerNotes } from './csv/header-notes.js';
import { createCore, type ParserCore } from './csv/parser-core.js';
import { RetainedBytes, type LineSearch } from './csv/retained-bytes.js';
import { noHeaderError, openByteStream } from './csv/source.js';
import { isOneColumn, parseDelimiterOption } from './sniff.js';
import { beforeLineEnding, countLineBreaks, createEndingScanner, doubledCrError, skipBlankLines } from './line-endings.js';

export type { CsvFormInfo } from './csv/form.js';
export { DEFAULT_MAX_RECORD_SIZE, csvError, describeCsvError, formatByteSize } from './csv/errors.js';
export { headerNotes } from './csv/header-notes.js';
// The record's own text and line ending, for the row composer (which reads batches from here).
export { beforeLineEnding, skipBlankLines } from './line-endings.js';

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
  /** Stops reading early: closes the file (a reader that stops before the end calls it). */
  close(): void;
}

const noop = () => {};
/** Records are handed out after each slice of this many bytes, so few are alive at once (whole
 * 1 MiB chunks of records outlive the young generation and tripled the GC time). */
const SLICE = 64 * 1024;
const CR = 0x0d;
const LF = 0x0a;

/** Rows parsed but not handed out yet, with what the options keep of each. */
class PendingRows {
  rows: string[][] = [];
  /** Skip-invalid mode: each row's record number. */
  numbers: number[] = [];
  /** keepRaw: each row's text, line ending and the blank lines before it. */
  raws: string[] = [];
  eols: string[] = [];
  leads: string[] = [];
  /** keepBytes: each row's [start, end) parser offsets, blank lines before it included. */
  spans: number[] = [];

  /** Hands every row over and starts empty. */
  take(): PendingRows {
    const taken = new PendingRows();
    [taken.rows, this.rows] = [this.rows, taken.rows];
    [taken.numbers, this.numbers] = [this.numbers, taken.numbers];
    [taken.raws, this.raws] = [this.raws, taken.raws];
    [taken.eols, this.eols] = [this.eols, taken.eols];
    [taken.leads, this.leads] = [this.leads, taken.leads];
    [taken.spans, this.spans] = [this.spans, taken.spans];
    return taken;
  }
}

/** `rows` cut into batches of `size`, with the extras the options ask for. `last` is the slice
 * of bytes the rows end in (keepBytes). */
function* batchesOf(rows: PendingRows, size: number, keep: { numbers: boolean; raw: boolean; bytes: boolean }, last: { bytes: Buffer; start: number } | undefined): Generator<RecordBatch> {
  const part = <T>(list: T[], i: number): T[] => (list.length <= size ? list : list.slice(i, i + size));
  for (let i = 0; i < rows.rows.length; i += size) {
    const batch: RecordBatch = part(rows.rows, i);
    if (keep.numbers) batch.recordNumbers = part(rows.numbers, i);
    if (keep.raw) {
      batch.raws = part(rows.raws, i);
      batch.eols = part(rows.eols, i);
      batch.leads = part(rows.leads, i);
    }
    if (keep.bytes && last !== undefined) {
      // The rows of one step end in the last slice given to the parser. A row that began in an
      // earlier slice (the first, at most) gets no span rather than a copy of both.
      const local = new Int32Array(2 * batch.length);
      for (let k = 0; k < batch.length; k++) {
        const from = rows.spans[2 * (i + k)]!;
        local[2 * k] = from >= last.start ? from - last.start : -1;
        local[2 * k + 1] = from >= last.start ? rows.spans[2 * (i + k) + 1]! - last.start : -1;
      }
      batch.bytes = last.bytes;
      batch.spans = local;
    }
    yield batch;
  }
}

/** Where the last record given by the parser ended. Lines and bytes count from the start of what
 * the current parser was given; `lineBase` turns them into file lines (a restart after a bad row
 * begins a new parser). csv-parse's own line count is used on the fast path (read as each record
 * is pushed, for free) and corrected for a CRLF inside a quoted value, which it counts twice;
 * skip-invalid mode counts the line breaks of the bytes it keeps anyway (`nextLine`). */
interface LastRecordEnd {
  lineBase: number;
  /** Parser line on which it ended (csv-parse's count). */
  line: number;
  /** core.info.empty_lines at that moment. */
  emptyLines: number;
  /** Parser byte offset just after it. */
  byte: number;
  /** Skip-invalid mode: the exact parser line at `byte`. */
  nextLine: number;
}

export async function openCsv(path: string, opts: CsvReadOptions = {}): Promise<CsvInput> {
  // A bad --delimiter is a usage error, reported before any input is read.
  const delimiterOption = opts.delimiter === undefined ? undefined : parseDelimiterOption(opts.delimiter);
  const { file, source, totalBytes } = openByteStream(path);
  const text = await openDecodedStream(file, source, opts.encoding);
  const form = settleForm(text.headText, text.encoding, delimiterOption);
  const headText = text.headText.charCodeAt(0) === 0xfeff ? text.headText.slice(1) : text.headText;
  const body = headText.slice(sepPrefix(headText, form).length);
  const lineOffset = headerLineOffset(form);

  const skipInvalid = opts.onReject !== undefined;
  const keepRaw = opts.keepRaw === true;
  const keepBytes = opts.keepBytes === true && !skipInvalid;
  // Keep the bytes given to the parser since the last good record (skip-invalid mode, keepRaw),
  // or since the first row not yet handed out (keepBytes).
  const retain = skipInvalid || keepRaw || keepBytes;
  const onReject = opts.onReject ?? noop;
  const oneColumn = isOneColumn(body, form.delimiter);
  /** A blank line before the header of a one-column file, which the parser hands over as a record. */
  const isBlankBeforeHeader = (record: string[]) => oneColumn && header === undefined && record.length === 1 && record[0] === '';
  // Widths are checked here in skip-invalid mode, so that a ragged row is set aside whole.
  const parseOptions = parseOptionsFor(form, oneColumn, { relaxColumnCount: skipInvalid, maxRecordSize: opts.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE });
  let core: ParserCore = createCore(parseOptions);
  // Which bytes end a record (recordDelimitersFor): CR alone in a CR file, else CRLF or LF.
  const crFile = form.recordDelimiter === '\r';
  const endings = createEndingScanner(form.recordDelimiter, lineOffset);

  const last: LastRecordEnd = { lineBase: lineOffset, line: 0, emptyLines: 0, byte: 0, nextLine: 1 };
  let header: string[] | undefined;
  let headerRaw: RawRecord | null = null;
  let recordNo = 0;
  let rejectedCount = 0;
  const pending = new PendingRows();
  let trailing = '';
  let failure: Error | undefined;
  let finished = false;
  let lastByte = -1;
  const retained = new RetainedBytes();

  /** The file line where the record being parsed starts. */
  const startLine = () =>
    skipInvalid
      ? last.lineBase + last.nextLine + (core.info.empty_lines - last.emptyLines)
      : last.lineBase + last.line + 1 + (core.info.empty_lines - last.emptyLines) - endings.quotedCrlfsBefore(last.byte);

  const recordEnded = (end: number) => {
    last.line = core.info.lines;
    last.emptyLines = core.info.empty_lines;
    last.byte = end;
  };

  const pushFast = (record: string[]) => {
    if (isBlankBeforeHeader(record)) return;
    if (header === undefined) header = record;
    else {
      recordNo++;
      pending.rows.push(record);
    }
    recordEnded(core.info.bytes);
  };

  /** A pending record's text and line ending (keepRaw). */
  const keepRawText = (from: number, to: number) => {
    const raw = cutRaw(from, to, !oneColumn);
    pending.raws.push(raw.text);
    pending.eols.push(raw.eol);
    pending.leads.push(raw.lead);
  };

  /** keepRaw or keepBytes without skip-invalid: pushFast plus the record's text or its span. */
  const pushRaw = (record: string[]) => {
    if (isBlankBeforeHeader(record)) return;
    const end = core.info.bytes;
    if (header === undefined) {
      header = record;
      if (keepRaw) headerRaw = cutRaw(last.byte, end, true);
    } else {
      recordNo++;
      pending.rows.push(record);
      if (keepBytes) pending.spans.push(last.byte, end);
      if (keepRaw) keepRawText(last.byte, end);
    }
    recordEnded(end);
  };

  /** Skip-invalid mode: a row whose width differs from the header's is set aside. */
  const pushChecked = (record: string[]) => {
    if (isBlankBeforeHeader(record)) return;
    const end = core.info.bytes;
    if (header === undefined) {
      header = record;
      if (keepRaw) headerRaw = cutRaw(last.byte, end, true);
    } else {
      recordNo++;
      if (record.length !== header.length) {
        const cut = cutRow(last.byte, end);
        rejectedCount++;
        onReject({ line: last.lineBase + last.nextLine + cut.blankLines, record: recordNo, reason: `has ${record.length} field${record.length === 1 ? '' : 's'} but the header has ${header.length}`, raw: cut.text, ...(cut.before ? { before: cut.before } : {}) });
      } else {
        pending.rows.push(record);
        pending.numbers.push(recordNo);
        if (keepRaw) keepRawText(last.byte, end);
      }
    }
    const from = last.byte;
    recordEnded(end);
    last.nextLine += retained.lineBreaks(from, end);
  };
  const push = skipInvalid ? pushChecked : keepRaw || keepBytes ? pushRaw : pushFast;

  /** The text between two parser offsets minus leading blank lines (none in a one-column file,
   * where they are records) and one trailing line ending. */
  function cutRow(from: number, to: number): { text: string; blankLines: number; before: string } {
    const b = retained.slice(from, to);
    const s = oneColumn ? 0 : skipBlankLines(b, 0, b.length, crFile);
    return { text: b.toString('utf8', s, beforeLineEnding(b, s, b.length, crFile)), blankLines: countLineBreaks([b], 0, 0, s), before: b.toString('latin1', 0, s) };
  }

  /** A record's text between two parser offsets, its line ending and (with `skipBlanks`) the
   * blank lines before it apart. */
  function cutRaw(from: number, to: number, skipBlanks: boolean): RawRecord {
    const b = retained.slice(from, to);
    const s = skipBlanks ? skipBlankLines(b, 0, b.length, crFile) : 0;
    const e = beforeLineEnding(b, s, b.length, crFile);
    return { text: b.toString('utf8', s, e), eol: b.toString('latin1', e), lead: b.toString('latin1', 0, s) };
  }

  let bodyGiven = false;
  let textBuf: Buffer = Buffer.alloc(0);
  let textAt = 0;
  /** The next slice of text as UTF-8 bytes (csv-parse's unit), at most SLICE bytes, its line
   * endings watched; undefined at the end of the text. */
  async function nextSlice(): Promise<Buffer | undefined> {
    while (textAt >= textBuf.length) {
      let chunk: string | Buffer | undefined;
      if (!bodyGiven) {
        bodyGiven = true;
        chunk = body;
      } else {
        chunk = await text.next();
        if (chunk === undefined) return undefined;
      }
      textBuf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
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

  /** Skip-invalid mode: sets the bad row's first line aside and returns the bytes after it, for
   * a fresh parser that restarts on the next line. */
  async function setBadLineAside(err: CsvError, atEnd: boolean): Promise<{ rest: Buffer; atEnd: boolean }> {
    const search: LineSearch = { pos: last.byte, start: -1, blankLines: 0 };
    let line = retained.firstLine(search, atEnd);
    while (line === undefined) {
      const more = await nextSlice();
      if (more === undefined) atEnd = true;
      else retained.push(more);
      line = retained.firstLine(search, atEnd);
    }
    const from = Math.min(last.byte, line.start);
    const all = retained.slice(from, retained.end());
    const at = (offset: number) => offset - from;
    const fileLine = last.lineBase + last.nextLine + line.blankLines;
    recordNo++;
    rejectedCount++;
    onReject({
      line: fileLine,
      record: recordNo,
      reason: describeCsvError(err, fileLine, last.lineBase + errorLine(err)).reason,
      raw: all.toString('utf8', at(line.start), at(line.end)),
      ...(line.blankLines > 0 ? { before: all.toString('latin1', at(last.byte), at(line.start)) } : {}),
    });
    const rest = all.subarray(at(line.next));
    Object.assign(last, { lineBase: fileLine, line: 0, emptyLines: 0, byte: 0, nextLine: 1 });
    retained.reset();
    return { rest, atEnd };
  }

  /** Parses the next slice of text (or the end). Sets `failure` on a row that stops reading. */
  async function step(): Promise<void> {
    let input = await nextSlice();
    let atEnd = input === undefined;
    for (;;) {
      if (retain && input !== undefined) retained.push(input);
      const err = core.parse(input, atEnd, push, noop);
      if (err === undefined) break;
      if (!skipInvalid || header === undefined || !isCsvError(err)) {
        const line = startLine();
        failure = csvError(err, file, 0, { line, ...(header === undefined ? {} : { record: recordNo + 1 }), ranOnTo: last.lineBase + errorLine(err) });
        finished = true;
        return;
      }
      const after = await setBadLineAside(err, atEnd);
      atEnd = after.atEnd;
      core = createCore(parseOptions);
      input = after.rest.length > 0 || !atEnd ? Buffer.from(after.rest) : undefined;
    }
    // What follows the last record: blank lines only (anything else would be a record).
    if (atEnd && keepRaw) trailing = retained.slice(last.byte, retained.end()).toString('latin1');
    if (retain) retained.dropBefore(pending.spans.length > 0 ? pending.spans[0]! : last.byte);
    if (!skipInvalid) endings.forgetBefore(last.byte);
    if (atEnd) finished = true;
  }

  while (header === undefined && !finished) await step();
  if (header === undefined) {
    if (failure) throw failure;
    throw noHeaderError(file);
  }
  const theHeader: string[] = header;
  const batchSize = opts.batchSize ?? 512;
  const headerNote = headerNotes(theHeader, file);
  const keep = { numbers: skipInvalid, raw: keepRaw, bytes: keepBytes };

  async function* batches(): AsyncGenerator<RecordBatch> {
    for (;;) {
      if (pending.rows.length > 0) yield* batchesOf(pending.take(), batchSize, keep, keepBytes ? retained.last() : undefined);
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
    bytesRead: text.bytesRead,
    batches,
    records: () => recordNo,
    estimatedRecords: () => (totalBytes === null || recordNo === 0 || last.byte === 0 ? null : Math.ceil((totalBytes * (recordNo + 1)) / last.byte)),
    rejected: () => rejectedCount,
    close: () => {
      finished = true;
      text.close();
    },
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
