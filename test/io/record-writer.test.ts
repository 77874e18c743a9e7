// The hand-written CSV serialiser (record-writer.ts): what csv-parse reads back is what was
// written, for every delimiter and line ending; it agrees with csv-stringify byte for byte except
// on line breaks that are not the record delimiter, which csv-stringify leaves unquoted; splitRawFields cuts a written record back into
// the exact text of each cell.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCsvCellFormatter, createCsvRowWriter, splitRawFields, uniqueKeys } from '../../src/io/record-writer.js';

const styles = [
  { delimiter: ',', recordDelimiter: '\n' },
  { delimiter: ';', recordDelimiter: '\r\n' },
  { delimiter: '\t', recordDelimiter: '\r\n' },
  { delimiter: '|', recordDelimiter: '\r' },
];
const cell = fc.string({ unit: fc.constantFrom('a', 'é', '"', ',', ';', '\t', '|', '\r', '\n', ' ', '=', '1') , maxLength: 6 });
const rows = (width: number) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 5 });

describe.each(styles)('createCsvRowWriter with $delimiter', (style) => {
  const write = createCsvRowWriter(style);

  it('reads back as written (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }).chain(rows), (rs) => {
        const text = rs.map(write).join('');
        expect(parse(text, { delimiter: style.delimiter, record_delimiter: style.recordDelimiter, relax_quotes: false })).toEqual(rs);
      }),
      { numRuns: 300 },
    );
  });

  it('matches csv-stringify when no cell has a line break (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }).chain(rows), (rs) => {
        fc.pre(rs.every((r) => r.every((c) => !c.includes('\r') && !c.includes('\n'))));
        // qualify also quotes the common separators whatever the delimiter (issue 10 item 13).
        expect(rs.map(write).join('')).toBe(stringify(rs, { delimiter: style.delimiter, record_delimiter: style.recordDelimiter, eof: true, quoted_match: /[,;\t]/ }));
      }),
      { numRuns: 300 },
    );
  });

  it('splitRawFields gives back the text of each written cell (property)', () => {
    const format = createCsvCellFormatter(style.delimiter);
    fc.assert(
      fc.property(fc.array(cell, { minLength: 2, maxLength: 5 }), (cells) => {
        const raw = write(cells).slice(0, -style.recordDelimiter.length);
        expect(splitRawFields(raw, style.delimiter)).toEqual(cells.map(format));
      }),
      { numRuns: 300 },
    );
  });
});

it('quotes line breaks that csv-stringify leaves bare (a CR with "\\n" records, an LF with "\\r\\n" ones)', () => {
  expect(createCsvRowWriter({ delimiter: ',', recordDelimiter: '\r\n' })(['a\nb', 'c'])).toBe('"a\nb",c\r\n');
  expect(stringify([['a\nb', 'c']], { record_delimiter: '\r\n' })).toBe('a\nb,c\r\n');
  expect(createCsvRowWriter({ delimiter: ',', recordDelimiter: '\n' })(['a\rb', 'c'])).toBe('"a\rb",c\n');
  expect(stringify([['a\rb', 'c']], { record_delimiter: '\n' })).toBe('a\rb,c\n');
});

it.each([
  [['Email', 'Email', 'Email'], ['Email', 'Email_2', 'Email_3']],
  [['', 'a', ' '], ['column_1', 'a', 'column_3']],
  [['a', 'a_2', 'a'], ['a', 'a_2', 'a_3']],
  [['__proto__', 'constructor'], ['__proto__', 'constructor']],
])('uniqueKeys(%j) = %j', (header, keys) => {
  expect(uniqueKeys(header)).toEqual(keys);
});
