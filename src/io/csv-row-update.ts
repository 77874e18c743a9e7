// The whole-document CSV front end, for the interactive commands (assess, discover, log), which
// touch one lead at a time: reads a whole file with the byte span of every record, and rewrites
// ONE record: every other record keeps its bytes exactly (quoting, line endings, blank lines,
// encoding, BOM, Excel's `sep=` line), except for the empty cells appended when new columns are
// added. The file is read in memory. Never writes: it returns the new text, and the caller
// writes it atomically under the file's lock. Source, encoding, decoding, form, csv-parse's
// options and its errors are the streaming reader's (./csv/), so score and a call read one file
// alike; line endings are line-endings.ts's.
import { parse } from 'csv-parse/sync';
import type { FileIdentity } from './atomic-write.js';
import { decodeWhole } from './csv/decoded-text.js';
import { csvError, errorLine } from './csv/errors.js';
import { headerLineOffset, parseOptionsFor, sepPrefix, settleForm, type CsvFormInfo } from './csv/form.js';
import { noHeaderError, readWholeFile } from './csv/source.js';
import { beforeLineEnding, countLineBreaks, createEndingScanner, doubledCrError, skipBlankLines } from './line-endings.js';
import { encodeText } from './decode.js';
import { createCsvRowWriter } from './record-writer.js';
import { isOneColumn } from './sniff.js';

export interface CsvDocument {
  file: string;
  form: CsvFormInfo;
  /** The file as read, to refuse writing over a version saved since (Excel). */
  identity: FileIdentity;
  header: string[];
  /** Data records (the header excluded), as parsed. */
  rows: string[][];
  /** `sep=` line and its line ending, verbatim, or ''. */
  prefix: string;
  /** The text after the prefix as UTF-8 bytes; spans index into it. */
  body: Buffer;
  /** End offset in `body` of the header (index 0) and of each data record (index r). */
  ends: number[];
  /** A one-column file: a blank line after the header is a record (one empty cell), as the
   * streaming reader reads it, not a blank line before the next record. */
  blankLinesAreRecords: boolean;
}

export async function readCsvDocument(file: string, opts: { encoding?: string; delimiter?: string } = {}): Promise<CsvDocument> {
  const { bytes, identity } = await readWholeFile(file);
  const { encoding, text } = await decodeWhole(file, bytes, opts.encoding);
  const form = settleForm(text.slice(0, 65_536), encoding, opts.delimiter);
  const prefix = sepPrefix(text, form);
  const body = Buffer.from(text.slice(prefix.length), 'utf8');
  refuseDoubledCr(body, form, file);
  const oneColumn = isOneColumn(text.slice(prefix.length, prefix.length + 65_536).replace(/^\ufeff/, ''), form.delimiter);
  const { records, ends } = parseWithSpans(body, form, oneColumn, file);
  const header = records.shift();
  if (!header) throw noHeaderError(file);
  return { file, form, identity, header, rows: records, prefix, body, ends, blankLinesAreRecords: oneColumn };
}

/** Refused as the streaming reader refuses it (CR CR LF), so that score and a call read one file alike. */
function refuseDoubledCr(body: Buffer, form: CsvFormInfo, file: string): void {
  const endings = createEndingScanner(form.recordDelimiter, headerLineOffset(form));
  endings.scan(body);
  const doubled = endings.doubledCr();
  if (doubled !== undefined) throw doubledCrError(file, doubled);
}

/** Every record of `body` (the header first) and the byte offset where each ends. */
function parseWithSpans(body: Buffer, form: CsvFormInfo, oneColumn: boolean, file: string): { records: string[][]; ends: number[] } {
  const ends: number[] = [];
  const records: string[][] = [];
  try {
    parse(body, {
      ...parseOptionsFor(form, oneColumn, { relaxColumnCount: false }),
      on_record: (record: string[], ctx: { bytes: number }) => {
        // Blank lines before the header of a one-column file: part of the header's span.
        if (oneColumn && records.length === 0 && record.length === 1 && record[0] === '') return null;
        ends.push(ctx.bytes);
        records.push(record);
        return null;
      },
    });
  } catch (e) {
    // Located as the streaming reader locates it: the record that failed and the line where it
    // starts (after any blank lines before it), not the line where csv-parse gave up.
    const offset = headerLineOffset(form);
    const from = ends.length > 0 ? ends[ends.length - 1]! : 0;
    const start = oneColumn && ends.length > 0 ? from : skipBlankLines(body, from, body.length, form.recordDelimiter === '\r');
    const line = countLineBreaks([body], 0, 0, start) + 1 + offset;
    throw csvError(e, file, 0, { line, ...(records.length > 0 ? { record: records.length } : {}), ranOnTo: offset + errorLine(e as Error) });
  }
  return { records, ends };
}

/** The file line data record `record` starts on (after any blank lines before it), for messages. */
export function lineOfRecord(doc: CsvDocument, record: number): number {
  const from = doc.ends[record - 1]!;
  const crFile = doc.form.recordDelimiter === '\r';
  const start = doc.blankLinesAreRecords ? from : skipBlankLines(doc.body, from, doc.ends[record]!, crFile);
  return countLineBreaks([doc.body], 0, 0, start) + 1 + headerLineOffset(doc.form);
}

/**
 * The file's text with data record `record` (1-based) given `values` (column name → cell text).
 * Columns the header lacks are appended, in the order given; other records get empty cells for
 * them and are otherwise copied byte for byte. Returns the encoded bytes and the added columns.
 */
export function updateRecord(doc: CsvDocument, record: number, values: Readonly<Record<string, string>>): { bytes: Buffer; added: string[] } {
  const row = doc.rows[record - 1];
  if (!row) throw new Error(`record ${record} is out of range`);
  const added = Object.keys(values).filter((name) => !doc.header.includes(name));
  const header = [...doc.header, ...added];
  const cells = header.map((name, i) => (name in values && header.indexOf(name) === i ? values[name]! : (row[i] ?? '')));
  const write = createCsvRowWriter({ delimiter: doc.form.delimiter, recordDelimiter: doc.form.recordDelimiter });

  const crFile = doc.form.recordDelimiter === '\r';
  /** Record i's span (i = 0: the header) cut as the streaming reader cuts it: the blank lines
   * before it (none in a one-column file, where they are records; the header's always), its
   * text, its line ending. */
  const span = (i: number): { lead: string; text: string; eol: string } => {
    const from = i === 0 ? 0 : doc.ends[i - 1]!;
    const to = doc.ends[i]!;
    const s = i > 0 && doc.blankLinesAreRecords ? from : skipBlankLines(doc.body, from, to, crFile);
    const e = beforeLineEnding(doc.body, s, to, crFile);
    return { lead: doc.body.toString('utf8', from, s), text: doc.body.toString('utf8', s, e), eol: doc.body.toString('utf8', e, to) };
  };
  /** A record with `extra` appended before its line ending (and after any blank lines that precede it). */
  const extend = (i: number, extra: string): string => {
    const { lead, text, eol } = span(i);
    return lead + text + extra + eol;
  };
  const replace = (i: number): string => {
    const { lead, eol } = span(i);
    const fresh = write(cells);
    // The writer ends every record with the file's line ending; keep "no newline at the end".
    return lead + (eol ? fresh : fresh.slice(0, fresh.length - doc.form.recordDelimiter.length));
  };

  const parts: string[] = [doc.prefix];
  if (added.length === 0) {
    parts.push(doc.body.subarray(0, doc.ends[record - 1]!).toString('utf8'));
    parts.push(replace(record));
    parts.push(doc.body.subarray(doc.ends[record]!).toString('utf8'));
  } else {
    const headerCells = write(added.map(String)).slice(0, -doc.form.recordDelimiter.length);
    parts.push(extend(0, doc.form.delimiter + headerCells));
    const empty = doc.form.delimiter.repeat(added.length);
    for (let r = 1; r < doc.ends.length; r++) parts.push(r === record ? replace(r) : extend(r, empty));
    parts.push(doc.body.subarray(doc.ends[doc.ends.length - 1]!).toString('utf8'));
  }
  return { bytes: encodeText(parts.join(''), doc.form.encoding), added };
}
