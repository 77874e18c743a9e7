// The CSV serialiser every CSV qualify writes goes through (scored output, rejects, write-back),
// the raw-field splitter, and the unique keys of JSON objects. Pure formatting: no streams, no
// fs. The output formats themselves are in pipeline/formats/.

export interface CsvStyle {
  delimiter: string;
  recordDelimiter: string;
}

/** Unique, non-blank keys for JSON output: blank headers become column_N, repeats get _2, _3. */
export function uniqueKeys(header: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((h, i) => {
    let k = h.trim() === '' ? `column_${i + 1}` : h;
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    if (n > 0) {
      let m = n + 1;
      while (seen.has(`${k}_${m}`)) m++;
      k = `${k}_${m}`;
      seen.set(k, 1);
    }
    return k;
  });
}

/**
 * A CSV record serialiser for the hot path (one call per output row). RFC 4180 quoting: a cell
 * is quoted when it holds the delimiter, a quote, CR or LF, and inner quotes are doubled; also
 * when it holds `,`, `;` or TAB, whatever the delimiter (COMMON_SEPARATORS).
 * Hand-written because csv-stringify's sync API re-normalises its options on every call (a
 * fifth of the run time at a million rows) and, with record_delimiter "\n", leaves a lone CR
 * unquoted, which other readers take as a line break. Property-tested against csv-stringify
 * and csv-parse in test/io/record-writer.test.ts.
 */
export function createCsvRowWriter(style: CsvStyle): (row: readonly string[]) => string {
  const d = style.delimiter;
  const eol = style.recordDelimiter;
  const cell = createCsvCellFormatter(d);
  return (row) => {
    let out = row.length > 0 ? cell(row[0]!) : '';
    for (let i = 1; i < row.length; i++) out += d + cell(row[i]!);
    return out + eol;
  };
}

/** Separators quoted in every cell whatever the file's delimiter: a program that splits the
 * line on another one than the file's (a spreadsheet in a `;` locale) then still sees one cell. */
export const COMMON_SEPARATORS = ',;\t';

/** One cell as createCsvRowWriter writes it: quoted when it holds the delimiter, `,`, `;`, TAB, a
 * quote, CR or LF, inner quotes doubled. */
export function createCsvCellFormatter(delimiter: string): (cell: string) => string {
  const special = new RegExp(`["\\r\\n${(COMMON_SEPARATORS + delimiter).replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}]`);
  return (s) => (special.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
}

/**
 * Splits one record's raw text (as in the file, without its line ending) into the raw text of
 * each field, quotes and all: a field that opens with `"` runs to its closing quote (delimiters,
 * doubled quotes and line breaks inside belong to it). Joining the result with the delimiter
 * gives the text back.
 */
export function splitRawFields(raw: string, delimiter: string): string[] {
  const fields: string[] = [];
  const d0 = delimiter.charCodeAt(0);
  const dl = delimiter.length;
  let start = 0;
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (!quoted && c === d0 && (dl === 1 || raw.startsWith(delimiter, i))) {
      fields.push(raw.slice(start, i));
      i += dl - 1;
      start = i + 1;
    }
  }
  fields.push(raw.slice(start));
  return fields;
}
