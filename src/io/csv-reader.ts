// Streaming CSV reader: a file or stdin in; the header, the file's form (encoding, delimiter,
// line ending, Excel `sep=` line) and batches of records as arrays of strings out. Memory is
// bounded by one batch plus the parser's buffer, whatever the file size. Errors are
// QualifyErrors naming the file, the record and the line; nothing is silently dropped.
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { QualifyError } from '../core/errors.js';
import { createDecoder, detectEncoding, type DetectedEncoding } from './decode.js';
import { sniffForm } from './sniff.js';

export interface CsvFormInfo {
  delimiter: string;
  recordDelimiter: '\r\n' | '\n' | '\r';
  /** Excel's `sep=;` first line, verbatim, or null. */
  sepLine: string | null;
  encoding: DetectedEncoding;
}

export interface CsvReadOptions {
  encoding?: string | undefined;
  delimiter?: string | undefined;
  /** Largest record, in characters, before the reader stops with an error (an unclosed quote). */
  maxRecordSize?: number;
  /** Records per batch. */
  batchSize?: number;
}

export interface CsvInput {
  /** Name for messages: the path, or "stdin". */
  file: string;
  header: string[];
  form: CsvFormInfo;
  /** Size in bytes when reading a regular file (for progress), else null. */
  totalBytes: number | null;
  bytesRead(): number;
  /** Batches of data records (the header excluded). Iterate once. */
  batches(): AsyncGenerator<string[][]>;
  /** Data records read so far. */
  records(): number;
}

export const DEFAULT_MAX_RECORD_SIZE = 32 * 1024 * 1024;

export async function openCsv(path: string, opts: CsvReadOptions = {}): Promise<CsvInput> {
  const isStdin = path === '-';
  const file = isStdin ? 'stdin' : path;
  let totalBytes: number | null = null;
  let source: Readable;
  if (isStdin) {
    source = process.stdin;
  } else {
    try {
      const st = statSync(path);
      if (st.isDirectory()) throw new QualifyError('FILE_NOT_FOUND', `${path} is a directory, not a CSV file`, { kind: 'file', file: path });
      totalBytes = st.size;
    } catch (e) {
      if (e instanceof QualifyError) throw e;
      throw new QualifyError('FILE_NOT_FOUND', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { kind: 'file', file: path });
    }
    source = createReadStream(path, { highWaterMark: 1 << 20 });
  }
  let bytes = 0;
  const byteIter = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;

  // Enough bytes to see a byte-order mark (and UTF-16's NULs).
  const head: Buffer[] = [];
  let headLen = 0;
  let sourceDone = false;
  while (headLen < 4096) {
    const n = await byteIter.next();
    if (n.done) {
      sourceDone = true;
      break;
    }
    head.push(n.value);
    headLen += n.value.length;
    bytes += n.value.length;
  }
  const headBuf = Buffer.concat(head);
  if (headBuf.length === 0) throw new QualifyError('CSV_EMPTY', `${file} is empty: there is no header line`, { kind: 'csv', file, line: 1 });
  const encoding = detectEncoding(headBuf, opts.encoding);

  // Decode everything through one decoder; the first decoded text settles the form.
  const decoder = createDecoder(encoding, file);
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
  const textIter = decoder[Symbol.asyncIterator]() as AsyncIterator<string>;
  let headText = '';
  let textDone = false;
  // Read until the first line (and the one after, for the line ending) is complete.
  while (!/\r|\n/.test(stripSep(headText)) || headText.length < 8192) {
    const n = await textIter.next().catch((e: unknown) => {
      throw e;
    });
    if (n.done) {
      textDone = true;
      break;
    }
    headText += n.value;
  }
  const sniffed = sniffForm(headText, { delimiter: opts.delimiter });
  const form: CsvFormInfo = { ...sniffed, encoding };
  let body = headText;
  if (form.sepLine !== null) body = body.slice(form.sepLine.length).replace(/^(\r\n|\n|\r)/, '');
  // The header line sits on line 2 when an Excel sep= line precedes it.
  const lineOffset = form.sepLine !== null ? 1 : 0;

  const parser = parse({
    delimiter: form.delimiter,
    record_delimiter: form.recordDelimiter,
    bom: false, // the decoder already removed it
    relax_column_count: false,
    skip_empty_lines: true,
    max_record_size: opts.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE,
  });
  const writeText = async () => {
    try {
      if (body.length) parser.write(body);
      if (!textDone) {
        for (;;) {
          const n = await textIter.next();
          if (n.done) break;
          if (!parser.write(n.value)) await new Promise((r) => parser.once('drain', r));
        }
      }
      parser.end();
    } catch (e) {
      parser.destroy(e as Error);
    }
  };
  void writeText();

  const recordIter = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const first = await recordIter.next().catch((e: unknown) => {
    throw csvError(e, file, lineOffset);
  });
  if (first.done) throw new QualifyError('CSV_EMPTY', `${file} has no header line (only blank lines)`, { kind: 'csv', file, line: 1 });
  const header = first.value;
  let records = 0;
  const batchSize = opts.batchSize ?? 512;

  async function* batches(): AsyncGenerator<string[][]> {
    let batch: string[][] = [];
    for (;;) {
      let n: IteratorResult<string[]>;
      try {
        n = await recordIter.next();
      } catch (e) {
        throw csvError(e, file, lineOffset);
      }
      if (n.done) break;
      records++;
      batch.push(n.value);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  return { file, header, form, totalBytes, bytesRead: () => bytes, batches, records: () => records };
}

function stripSep(text: string): string {
  return text.replace(/^sep=.?(\r\n|\n|\r)/i, '');
}

/** csv-parse's coded errors become QualifyErrors with the record and line, in plain words. */
export function csvError(e: unknown, file: string, lineOffset = 0): Error {
  if (e instanceof QualifyError) return e;
  const err = e as CsvError & { lines?: number; records?: number; code?: string };
  if (typeof err?.code !== 'string' || !err.code.startsWith('CSV_') && err.code !== 'INVALID_OPENING_QUOTE') return e as Error;
  const line = (err.lines ?? 0) + lineOffset;
  // csv-parse counts the header as a record; users count data records from 1.
  const record = err.records !== undefined ? err.records : undefined;
  const at = { kind: 'csv' as const, file, line, record };
  const where = `record ${record ?? '?'} (line ${line})`;
  switch (err.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const m = /expect (\d+), got (\d+)/.exec(err.message);
      const [expect, got] = m ? [m[1], m[2]] : ['?', '?'];
      return new QualifyError('CSV_BAD_RECORD', `${where} has ${got} fields but the header has ${expect}`, at, {
        hint: 'an unquoted comma inside a value, or a row the exporting tool cut short; fix the row, or use --skip-invalid to set such rows aside',
      });
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return new QualifyError('CSV_BAD_RECORD', `a quoted value opened at or before ${where} is never closed`, at, { hint: 'look for a stray " in that row' });
    case 'CSV_MAX_RECORD_SIZE':
      return new QualifyError('CSV_BAD_RECORD', `${where} is larger than the record size limit; most likely a quote is never closed`, at, { hint: 'look for a stray " near that line' });
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new QualifyError('CSV_BAD_RECORD', `${where} has a misplaced quote: ${err.message.replace(/^Invalid [^:]*: /, '')}`, at, {
        hint: 'a value that contains quotes must itself be wrapped in quotes, with inner quotes doubled ("")',
      });
    default:
      return new QualifyError('CSV_BAD_RECORD', `${where}: ${err.message}`, at);
  }
}

export function isStdinPath(p: string): boolean {
  return p === '-';
}
