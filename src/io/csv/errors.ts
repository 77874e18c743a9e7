// csv-parse's errors in plain words, for both CSV front ends (the streaming reader and the
// whole-document reader for row updates): a QualifyError with code CSV_BAD_RECORD whose location
// (file, record, line, field) stays data; src/ui/diagnostics.ts prints it.
import type { CsvError } from 'csv-parse';
import { QualifyError } from '../../core/errors.js';

/** Large enough for a 10 MB notes cell; small enough that an unclosed quote near the top of a
 * big file is reported after reading this much, not at the end of the file. */
export const DEFAULT_MAX_RECORD_SIZE = 16 * 1024 * 1024;

/** A size in bytes the way --max-record-size takes it: `16 MB`, `512 KB`, or bytes (1 MB = 1024 KB = 1,048,576 bytes). */
export function formatByteSize(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KB`;
  return `${n} bytes`;
}

/** The line (counted by csv-parse from the start of what its parser was given) where it stopped. */
export function errorLine(err: Error): number {
  return (err as { lines?: number }).lines ?? 0;
}

export function isCsvError(e: unknown): e is CsvError {
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
