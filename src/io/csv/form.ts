// A CSV's form, settled once from the start of its decoded text, and the csv-parse options that
// follow from it: the same for the streaming reader and the whole-document reader, so that
// `score` and a call read one file alike.
import type { Options as ParseOptions } from 'csv-parse';
import type { DetectedEncoding } from '../decode.js';
import { recordDelimitersFor, sniffForm, type RecordDelimiter } from '../sniff.js';

export interface CsvFormInfo {
  delimiter: string;
  recordDelimiter: RecordDelimiter;
  /** Excel's `sep=;` first line, verbatim, or null. */
  sepLine: string | null;
  encoding: DetectedEncoding;
}

export const ENDING_NAME: Readonly<Record<RecordDelimiter, string>> = { '\r\n': 'CRLF', '\n': 'LF', '\r': 'CR' };

/** The form of a text from its start (BOM stripped; the first 64 KiB, or at least the first
 * two lines). A `delimiter` given here wins over the sniffed one. */
export function settleForm(headText: string, encoding: DetectedEncoding, delimiter?: string): CsvFormInfo {
  const sniffed = sniffForm(headText, delimiter !== undefined ? { delimiter } : {});
  return { delimiter: sniffed.delimiter, recordDelimiter: sniffed.recordDelimiter, sepLine: sniffed.sepLine, encoding };
}

/** Excel's `sep=` line and its line ending, verbatim, at the start of `text`; '' without one. */
export function sepPrefix(text: string, form: Pick<CsvFormInfo, 'sepLine'>): string {
  return form.sepLine !== null ? (/^[^\r\n]*(\r\n|\n|\r)?/.exec(text)?.[0] ?? '') : '';
}

/** The header sits on line 2 when an Excel `sep=` line precedes it. */
export function headerLineOffset(form: Pick<CsvFormInfo, 'sepLine'>): number {
  return form.sepLine !== null ? 1 : 0;
}

/** Whether a text start holds the whole first line (after any `sep=` line) and its ending. */
export function holdsFirstLine(headText: string): boolean {
  return /\r|\n/.test(headText.replace(/^\ufeff?sep=.?(\r\n|\n|\r)/i, ''));
}

/**
 * csv-parse's options for a file of this form. `oneColumn`: a blank line is a record with one
 * empty cell there (isOneColumn), a line to skip elsewhere. `relaxColumnCount`: widths are
 * checked by the caller (skip-invalid mode sets a ragged row aside whole). `maxRecordSize`: the
 * largest record in bytes, unlimited when undefined.
 */
export function parseOptionsFor(form: CsvFormInfo, oneColumn: boolean, opts: { relaxColumnCount: boolean; maxRecordSize?: number | undefined }): ParseOptions {
  return {
    delimiter: form.delimiter,
    // CRLF and LF both end records (a CRLF header with LF rows appended is not fused into one).
    record_delimiter: recordDelimitersFor(form),
    bom: false, // the decoder already removed it
    relax_column_count: opts.relaxColumnCount,
    skip_empty_lines: !oneColumn,
    ...(opts.maxRecordSize !== undefined ? { max_record_size: opts.maxRecordSize } : {}),
  };
}
