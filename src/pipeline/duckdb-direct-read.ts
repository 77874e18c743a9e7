// Whether `score --engine duckdb` may let DuckDB's own CSV reader (read_csv: parallel, in C++,
// ~6x cheaper than parsing in Node and appending cell by cell) load a file, and the read_csv
// call that loads it. DuckDB must then see exactly the records qualify's reader sees; where the
// two readers differ, the file goes through qualify's reader instead:
// - DuckDB accepts a quote inside an unquoted field (`ab"c`, ` "x" `) and text after a closing
//   quote in some forms, and a CR that ends no line (`\r\r\n`), all of which qualify refuses
//   (CSV_BAD_RECORD, CSV_LINE_ENDING). scanForDuckDb walks the bytes once (a byte loop, no
//   strings: ~1 ns a byte) and says no on any of them.
// - Blank lines before the header, an Excel `sep=` line, a one-column file (where a blank line
//   is a record), CR-only line endings, a text encoding other than UTF-8, stdin, a multi-byte
//   delimiter, a path DuckDB would take as a glob or a URL: not tried.
// - Anything DuckDB itself refuses (mixed line endings, ragged rows, invalid UTF-8, a line over
//   its size limit) makes the caller load the file again through qualify's reader, which then
//   reports the error the default engine reports, or reads the file as the default engine does.
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_MAX_RECORD_SIZE, type CsvInput } from '../io/csv-reader.js';
import { standardString } from '../sql/dialect.js';

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** Why DuckDB's reader is not tried for this input, or null when it may be. */
export function directReadObstacle(path: string, input: CsvInput): string | null {
  if (path === '-') return 'stdin';
  if (input.form.encoding.encoding !== 'utf8') return `encoding ${input.form.encoding.encoding}`;
  if (input.form.sepLine !== null) return 'an Excel sep= line';
  if (input.form.recordDelimiter === '\r') return 'CR line endings';
  const d = input.form.delimiter;
  if (d.length !== 1 || d.charCodeAt(0) >= 0x80 || d === '"' || d === '\r' || d === '\n') return 'a delimiter DuckDB does not take';
  if (input.header.length < 2) return 'a one-column file';
  // read_csv expands globs (* ? [ {) and reads URLs (s3://, http://) and ~ paths.
  if (/[*?[\]{}]|:\/\//.test(path) || path.startsWith('~')) return 'a path DuckDB reads as a pattern';
  return null;
}

/**
 * Reads the file once and says whether DuckDB's strict reader would give exactly qualify's
 * records: no quote inside an unquoted field, only a delimiter or line break after a closing
 * quote, every CR followed by LF, no blank line before the header, every quote closed.
 */
export function scanForDuckDb(path: string, delimiter: string): boolean {
  const delim = delimiter.charCodeAt(0);
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    // 0 at a field's start, 1 in an unquoted field, 2 in a quoted one, 3 just after a quote in a quoted one.
    let state = 0;
    let pendingCr = false;
    let first = true;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      let i = 0;
      if (first) {
        first = false;
        if (n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
        if (i < n && (buf[i] === CR || buf[i] === LF)) return false; // a blank line before the header
      }
      for (; i < n; i++) {
        const b = buf[i]!;
        if (pendingCr) {
          if (b !== LF) return false;
          pendingCr = false;
          continue;
        }
        if (state === 2) {
          if (b === QUOTE) state = 3;
          else if (b === CR) pendingCr = true;
          continue;
        }
        if (state === 3) {
          if (b === QUOTE) state = 2;
          else if (b === delim || b === LF) state = 0;
          else if (b === CR) {
            pendingCr = true;
            state = 0;
          } else return false;
          continue;
        }
        if (b === QUOTE) {
          if (state !== 0) return false;
          state = 2;
        } else if (b === delim || b === LF) state = 0;
        else if (b === CR) {
          pendingCr = true;
          state = 0;
        } else state = 1;
      }
    }
    return !pendingCr && state !== 2;
  } finally {
    closeSync(fd);
  }
}

/** The read_csv call for a file that passed the checks: every column text, named c0, c1, ... */
export function readCsvSql(path: string, input: CsvInput, maxRecordSize = DEFAULT_MAX_RECORD_SIZE): string {
  const columns = input.header.map((_, i) => `c${i}: 'VARCHAR'`).join(', ');
  const options = [
    'header = true',
    'auto_detect = false',
    `columns = {${columns}}`,
    `delim = ${standardString(input.form.delimiter)}`,
    `quote = '"'`,
    `escape = '"'`,
    'strict_mode = true',
    'null_padding = false',
    "compression = 'none'",
    // qualify's own limit on a record (--max-record-size): a longer one falls back to qualify's
    // reader, which reports it as the default engine does.
    `max_line_size = ${maxRecordSize}`,
  ];
  return `read_csv(${standardString(resolve(path))}, ${options.join(', ')})`;
}
