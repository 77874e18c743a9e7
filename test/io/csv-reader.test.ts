// openCsv in-process, on exact bytes written to a temp dir: line endings (mixed ones fused no
// records), encodings, sep= lines, header names, blank lines, record and line numbers of bad
// rows, and the skip-invalid mode that hands bad rows over verbatim and reads on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { QualifyError } from '../../src/core/errors.js';
import { csvSubject } from '../../src/ui/diagnostics.js';
import { headerNotes, openCsv, type CsvReadOptions, type RejectedRow } from '../../src/io/csv-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'qualify-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

interface ReadResult {
  header: string[];
  rows: string[][];
  numbers: number[];
  rejects: RejectedRow[];
  notes: string[];
  finalNewline: boolean;
  delimiter: string;
  recordDelimiter: string;
  sepLine: string | null;
  encoding: string;
  bom: boolean;
}

async function read(bytes: string | Buffer, opts: CsvReadOptions & { skip?: boolean } = {}): Promise<ReadResult> {
  const file = join(dir, `in-${++n}.csv`);
  writeFileSync(file, bytes);
  const rejects: RejectedRow[] = [];
  const { skip, ...rest } = opts;
  const input = await openCsv(file, skip ? { ...rest, onReject: (r) => rejects.push(r) } : rest);
  const rows: string[][] = [];
  const numbers: number[] = [];
  for await (const batch of input.batches()) {
    batch.forEach((r, i) => {
      rows.push(r);
      numbers.push(batch.recordNumbers?.[i] ?? numbers.length + 1);
    });
  }
  return {
    header: input.header,
    rows,
    numbers,
    rejects,
    notes: input.notes().map((s) => s.replace(file, 'F')),
    finalNewline: input.finalNewline(),
    delimiter: input.form.delimiter,
    recordDelimiter: input.form.recordDelimiter,
    sepLine: input.form.sepLine,
    encoding: input.form.encoding.encoding,
    bom: input.form.encoding.bom,
  };
}

/** The error as the diagnostics printer words it, without the file name and code. */
const printed = (e: QualifyError): string => (e.at?.kind === 'csv' ? csvSubject(e.at) : '') + e.message;

async function readError(bytes: string | Buffer, opts: CsvReadOptions & { skip?: boolean } = {}): Promise<QualifyError> {
  try {
    await read(bytes, opts);
  } catch (e) {
    if (e instanceof QualifyError) return e;
    throw e;
  }
  throw new Error('expected a QualifyError');
}

describe('openCsv: form and records', () => {
  const cases: [string, string | Buffer, CsvReadOptions & { skip?: boolean }, Partial<ReadResult>][] = [
    ['LF', 'a,b\n1,2\n', {}, { header: ['a', 'b'], rows: [['1', '2']], recordDelimiter: '\n', finalNewline: true, notes: [] }],
    ['CRLF', 'a,b\r\n1,2\r\n', {}, { rows: [['1', '2']], recordDelimiter: '\r\n' }],
    ['lone CR (old Mac Excel)', 'a,b\r1,2\r3,4', {}, { rows: [['1', '2'], ['3', '4']], recordDelimiter: '\r', finalNewline: false }],
    ['CRLF header then LF rows: not fused, reported', 'a,b\r\n1,2\n3,4\n', {}, {
      rows: [['1', '2'], ['3', '4']],
      recordDelimiter: '\r\n',
      notes: ['F: mixed line endings: CRLF first, then LF from line 2; every record was read, and qualify writes CRLF throughout'],
    }],
    ['LF file with a CRLF row appended late', `a,b\n${'1,2\n'.repeat(3000)}3,4\r\n`, {}, {
      notes: ['F: mixed line endings: LF first, then CRLF from line 3002; every record was read, and qualify writes LF throughout'],
    }],
    ['LF inside a quoted cell of a CRLF file is not mixed (Excel)', 'a,b\r\n"x\ny",2\r\n', {}, { rows: [['x\ny', '2']], notes: [] }],
    ['no final newline', 'a,b\n1,2', {}, { rows: [['1', '2']], finalNewline: false }],
    ['header only', 'a,b\n', {}, { header: ['a', 'b'], rows: [] }],
    ['header only, no newline', 'a,b', {}, { header: ['a', 'b'], rows: [], finalNewline: false }],
    ['blank lines mid-file and at the end', 'a,b\n\n1,2\n\r\n\n3,4\n\n\n', {}, { rows: [['1', '2'], ['3', '4']], numbers: [1, 2] }],
    // One column: a blank line is a record with one empty cell (issue 10 item 14); before the header it is skipped.
    ['one column: a blank line is an empty record', 'Email\na@b.com\n\nc@d.com\n', {}, { header: ['Email'], rows: [['a@b.com'], [''], ['c@d.com']], numbers: [1, 2, 3] }],
    ['one column, CRLF: blank lines before the header skipped, every one after it a record', '\r\n\r\nEmail\r\n\r\na@b.com\r\n\r\n\r\n', {}, { header: ['Email'], rows: [[''], ['a@b.com'], [''], ['']], numbers: [1, 2, 3, 4] }],
    ['one column, CR', 'Email\ra@b.com\r\rc@d.com', {}, { header: ['Email'], rows: [['a@b.com'], [''], ['c@d.com']], finalNewline: false }],
    ['one column with a quoted header holding the delimiter', '"Name, full"\nAnn\n\nBob\n', {}, { header: ['Name, full'], rows: [['Ann'], [''], ['Bob']] }],
    ['one column, skip-invalid: same records', 'Email\na@b.com\n\nc@d.com\n', { skip: true }, { rows: [['a@b.com'], [''], ['c@d.com']], numbers: [1, 2, 3] }],
    ['semicolon with decimal commas', 'Name;Revenue\nAcme;1,5\n', {}, { delimiter: ';', rows: [['Acme', '1,5']] }],
    ['--delimiter by name', 'a|b,c\n1|2,3\n', { delimiter: 'pipe' }, { delimiter: '|', rows: [['1', '2,3']] }],
    ['sep=; line honoured', 'sep=;\na;b\n1;2\n', {}, { sepLine: 'sep=;', delimiter: ';', header: ['a', 'b'], rows: [['1', '2']] }],
    ['sep=; after a UTF-8 BOM', '\ufeffsep=;\r\na;b\r\n1;2\r\n', {}, { sepLine: 'sep=;', bom: true, header: ['a', 'b'] }],
    ['UTF-8 BOM with a quoted first header', '\ufeff"Email",Name\na@x.io,A\n', {}, { header: ['Email', 'Name'], bom: true, encoding: 'utf8' }],
    ['Excel "Unicode text": UTF-16LE BOM, tab, CRLF', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Email\tName\r\nzoë@x.io\tZoë, Inc\r\n', 'utf16le')]), {}, {
      encoding: 'utf16le', bom: true, delimiter: '\t', recordDelimiter: '\r\n', header: ['Email', 'Name'], rows: [['zoë@x.io', 'Zoë, Inc']],
    }],
    ['Windows-1252 with € and curly quotes via --encoding', iconv.encode('Name,Note\nMüller,“5 €”\n', 'win1252'), { encoding: 'win1252' }, {
      encoding: 'win1252', rows: [['Müller', '“5 €”']],
    }],
    ['duplicate and blank header names are kept as they are', 'Email,Phone,Email,,x\n1,2,3,4,5\n', {}, {
      header: ['Email', 'Phone', 'Email', '', 'x'],
      rows: [['1', '2', '3', '4', '5']],
      notes: ['F: "Email" is the name of columns 1, 3; column 4 has no name; every column is kept and written back as it is (JSON keys: Email_2, column_4)'],
    }],
    ['__proto__ and constructor headers are plain columns', '__proto__,constructor,toString\n1,2,3\n', {}, { header: ['__proto__', 'constructor', 'toString'], rows: [['1', '2', '3']] }],
    ['quotes, delimiters, lone CR and NUL inside values', 'a,b\n"x,""y""\r\nz","p\rq\u0000"\n', {}, { rows: [['x,"y"\r\nz', 'p\rq\u0000']] }],
  ];
  it.each(cases)('%s', async (_name, bytes, opts, expected) => {
    expect(await read(bytes, opts)).toMatchObject(expected);
  });

  it('reads a 10 MB cell whole', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const r = await read(`a,notes,c\n1,"${big}",3\n4,5,6\n`);
    expect(r.rows.length).toBe(2);
    expect(r.rows[0]![1]!.length).toBe(big.length);
    expect(r.rows[1]).toEqual(['4', '5', '6']);
  });

  it('splits records exactly across the 64 KiB slices it parses (multibyte characters included)', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => [`${i}`, `José ✓ ${'é'.repeat(i % 50)}`, `"q""${i}"`]);
    const text = 'id,name,quoted\r\n' + rows.map((r) => r.join(',')).join('\r\n') + '\r\n';
    const r = await read(text, { batchSize: 100 });
    expect(r.rows).toEqual(rows.map((x) => [x[0], x[1], `q"${x[0]}`]));
  });
});

describe('openCsv: errors name the record and the line where it starts', () => {
  const cases: [string, string, CsvReadOptions, { code: string; record?: number; line: number; message: RegExp }][] = [
    ['empty file', '', {}, { code: 'CSV_EMPTY', line: 1, message: /is empty/ }],
    ['only blank lines', '\n\n\r\n', {}, { code: 'CSV_EMPTY', line: 1, message: /no header line/ }],
    ['too few fields', 'a,b,c\n1,2,3\n4,5\n', {}, { code: 'CSV_BAD_RECORD', record: 2, line: 3, message: /^record 2 \(line 3\) has 2 fields but the header has 3$/ }],
    ['too many fields (unquoted comma)', 'a,b\n1,2\nAcme, Inc,3\n', {}, { code: 'CSV_BAD_RECORD', record: 2, line: 3, message: /has 3 fields but the header has 2/ }],
    ['line counts the sep= line and blank lines', 'sep=,\na,b\n\n\n1\n', {}, { code: 'CSV_BAD_RECORD', record: 1, line: 5, message: /has 1 field/ }],
    ['line after a multi-line record', 'a,b\n"1\n2\n3",x\n4\n', {}, { code: 'CSV_BAD_RECORD', record: 2, line: 5, message: /has 1 field/ }],
    ['a CRLF inside a quoted value is one line (csv-parse counts two)', 'a,b\r\n"1\r\n2\r\n3",x\r\n4\r\n', {}, { code: 'CSV_BAD_RECORD', record: 2, line: 5, message: /has 1 field/ }],
    ['quote inside an unquoted value', 'a,b\n1,2\n3,x"y\n', {}, { code: 'CSV_BAD_RECORD', record: 2, line: 3, message: /misplaced quote: a quote follows the unquoted text "x"/ }],
    ['text after a closing quote', 'a,b\n"x" ,y\n', {}, { code: 'CSV_BAD_RECORD', record: 1, line: 2, message: /followed by " " instead of a delimiter/ }],
    ['unclosed quote runs to the end', 'a,b\n1,2\n3,"x\n5,6\n7,8\n', {}, { code: 'CSV_BAD_RECORD', record: 2, line: 3, message: /^record 2 \(line 3\) has a quote that is never closed: the quoted value runs on to the end of the file$/ }],
    ['a bad header', '"a"x,b\n1,2\n', {}, { code: 'CSV_BAD_RECORD', line: 1, message: /^the header \(line 1\) has a misplaced quote/ }],
    // CR CR LF is refused wherever it is: read either way, it would alter cells (issue 10 item 11).
    ['CR CR LF after the header', 'Email,Name\r\r\na@b.com,Ann\r\r\n', {}, { code: 'CSV_LINE_ENDING', line: 1, message: /^line 1 ends in CR CR LF \(\\r\\r\\n\)/ }],
    ['CR CR LF on line 3 of a CRLF file', 'Email,Name\r\na@b.com,Ann\r\nc@d.com,Bob\r\r\n', {}, { code: 'CSV_LINE_ENDING', line: 3, message: /^line 3 ends in CR CR LF/ }],
    ['CR CR LF after a sep= line', 'sep=,\r\nEmail,Name\r\r\n', {}, { code: 'CSV_LINE_ENDING', line: 2, message: /^line 2 ends in CR CR LF/ }],
    ['CR CR LF with --skip-invalid too', 'Email,Name\r\r\na@b.com,Ann\r\r\n', { onReject: () => {} }, { code: 'CSV_LINE_ENDING', line: 1, message: /ends in CR CR LF/ }],
  ];
  it.each(cases)('%s', async (_name, bytes, opts, expected) => {
    const e = await readError(bytes, opts);
    expect(e.code).toBe(expected.code);
    // What the user reads: the printer's "record N (line L) " and the message.
    expect(printed(e)).toMatch(expected.message);
    expect(e.at).toMatchObject({ kind: 'csv', line: expected.line, ...(expected.record ? { record: expected.record } : {}) });
  });

  it('CR CR LF inside a quoted value is text, read as it is', async () => {
    const r = await read('a,b\r\n1,"x\r\r\ny"\r\n');
    expect(r.rows).toEqual([['1', 'x\r\r\ny']]);
  });

  it('CR CR LF far into a big file stops the reader with its line', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},name ${i}`);
    const e = await readError('id,name\r\n' + rows.join('\r\n') + '\r\r\n1,2\r\n');
    expect(e.code).toBe('CSV_LINE_ENDING');
    expect(e.at).toMatchObject({ kind: 'csv', line: 20_001 });
  });

  it('the location is data, not text: the message is the reason alone (issue 12 item 4)', async () => {
    const bad = await readError('a,b\n1,2\n3,x"y\n');
    expect(bad.message).toBe('has a misplaced quote: a quote follows the unquoted text "x" in a value');
    expect(bad.at).toEqual({ kind: 'csv', file: expect.stringMatching(/in-\d+\.csv$/), record: 2, line: 3, field: 2, about: 'record' });
    const short = await readError('a,b,c\n1,2,3\n4,5\n');
    expect(short.message).toBe('has 2 fields but the header has 3');
    expect(short.at).toEqual({ kind: 'csv', file: expect.any(String), record: 2, line: 3, about: 'record' });
    const header = await readError('"a"x,b\n1,2\n');
    expect(header.at).toMatchObject({ line: 1, about: 'header' });
    expect(header.message).not.toMatch(/header|line 1/);
  });

  it('a bad --delimiter is a usage error before anything is read', async () => {
    await expect(openCsv(join(dir, 'does-not-exist.csv'), { delimiter: 'colon' })).rejects.toMatchObject({ code: 'ARG_INVALID' });
  });

  it('names the file when a BOM contradicts --encoding', async () => {
    const e = await readError('\ufeffa,b\n', { encoding: 'win1252' });
    expect(e.code).toBe('ARG_INVALID');
    expect(e.message).toMatch(/in-\d+\.csv, which starts with a UTF-8 byte-order mark/);
  });

  it('an unclosed quote on row 3 of a big file is reported at line 3 once the record size limit is reached, not at the end', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `${i},name ${i},x@y.io`);
    rows[2] = '2,"unclosed,x@y.io';
    const text = 'id,name,email\n' + rows.join('\n') + '\n';
    const t = performance.now();
    const e = await readError(text, { maxRecordSize: 256 * 1024 });
    expect(printed(e)).toMatch(/^record 3 \(line 4\) is larger than the record size limit of 256 KB \(--max-record-size\): a quoted value opened on its line ran on to line \d+$/);
    expect(e.hint).toMatch(/raise the limit, e\.g\. --max-record-size 1MB; if not, look for a stray "/);
    const ranTo = Number(/line (\d+)$/.exec(e.message)![1]);
    expect(ranTo).toBeLessThan(20_000); // stopped at the limit, long before line 200,001
    expect(performance.now() - t).toBeLessThan(5_000);
  });
});

describe('openCsv: skip-invalid hands bad rows over verbatim and reads on', () => {
  it('ragged rows: whole row, its line and record; the rest is read', async () => {
    const r = await read('a,b,c\r\n1,2,3\r\n\r\n4,5\r\n"6\n6",7,8,9\r\n10,11,12', { skip: true });
    expect(r.rows).toEqual([['1', '2', '3'], ['10', '11', '12']]);
    expect(r.numbers).toEqual([1, 4]);
    expect(r.rejects).toEqual([
      { line: 4, record: 2, reason: 'has 2 fields but the header has 3', raw: '4,5', before: '\r\n' },
      { line: 5, record: 3, reason: 'has 4 fields but the header has 3', raw: '"6\n6",7,8,9' },
    ]);
  });

  it('counts a CRLF inside a quoted value as one line', async () => {
    const r = await read('a,b\r\n"x\r\ny\r\nz",1\r\n2\r\n"p\rq",3\r\n4,"5\r\n', { skip: true });
    expect(r.rejects.map((x) => [x.line, x.record, x.raw])).toEqual([
      [5, 2, '2'],
      [8, 4, '4,"5'], // a lone CR is a line break too
    ]);
  });

  it('a stray quote spoils only its own line', async () => {
    const r = await read('a,b,c\n1,2,3\n4,"x,6\n7,8,9\n10,x"y,12\n13,14,15\n"a"b,1,2\n16,17,18\n', { skip: true });
    expect(r.rows).toEqual([['1', '2', '3'], ['7', '8', '9'], ['13', '14', '15'], ['16', '17', '18']]);
    expect(r.numbers).toEqual([1, 3, 5, 7]);
    expect(r.rejects.map((x) => [x.line, x.record, x.raw])).toEqual([
      [3, 2, '4,"x,6'],
      [5, 4, '10,x"y,12'],
      [7, 6, '"a"b,1,2'],
    ]);
    expect(r.rejects[0]!.reason).toMatch(/quote that is not closed on its line/);
    expect(r.rejects[1]!.reason).toMatch(/misplaced quote/);
  });

  it('an unclosed quote on the last line, with no final newline', async () => {
    const r = await read('sep=;\na;b\n1;2\n3;"4', { skip: true });
    expect(r.rows).toEqual([['1', '2']]);
    expect(r.rejects).toEqual([{ line: 4, record: 2, reason: expect.stringMatching(/never closed/), raw: '3;"4' }]);
  });

  it('keeps the raw text of bad rows that straddle the 64 KiB parsing slices, in a non-UTF-8 file', async () => {
    const lines: string[] = [];
    const expectedRejects: [number, string][] = [];
    for (let i = 0; i < 4000; i++) {
      if (i % 397 === 5) {
        const raw = i % 2 ? `${i},Mü"ller ${'x'.repeat(i % 90)},€` : `${i},short`;
        lines.push(raw);
        expectedRejects.push([i + 2, raw]);
      } else lines.push(`${i},Müller ${'y'.repeat(i % 70)},€ ${i}`);
    }
    const r = await read(iconv.encode('id,name,note\r\n' + lines.join('\r\n') + '\r\n', 'win1252'), { skip: true, encoding: 'cp1252' });
    expect(r.rejects.map((x) => [x.line, x.raw])).toEqual(expectedRejects);
    expect(r.rows.length + r.rejects.length).toBe(4000);
    expect(r.rows.every((row) => row.length === 3 && row[2]!.startsWith('€'))).toBe(true);
  });

  it('a record over --max-record-size: its line set aside verbatim, the limit and its option named, the rest read', async () => {
    const big = 'x'.repeat(300_000);
    const r = await read(`a,b\n1,2\n3,"${big}"\n5,6\n`, { skip: true, maxRecordSize: 100_000 });
    expect(r.rows).toEqual([['1', '2'], ['5', '6']]);
    expect(r.rejects).toEqual([{ line: 3, record: 2, reason: 'is larger than the record size limit of 100000 bytes (--max-record-size)', raw: `3,"${big}"` }]);
  });

  it('reads an oversized record in linear work: each byte is copied a bounded number of times, not once per 64 KiB slice', async () => {
    // 4 MB on one line over a 64 KB limit: searching for the end of the line used to concatenate
    // everything kept so far at each slice (quadratic: 80 s for 40 MB). Counted, not timed.
    const big = 'x'.repeat(4 << 20);
    const text = `a,b\n1,"${big}"\n5,6\n`;
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      const r = await read(text, { skip: true, maxRecordSize: 64 << 10 });
      expect(r.rows).toEqual([['5', '6']]);
      expect(r.rejects.map((x) => [x.line, x.record, x.raw.length])).toEqual([[2, 1, big.length + 4]]);
      const copied = concat.mock.results.reduce((n, res) => n + (res.value as Buffer).length, 0);
      expect(copied).toBeLessThan(3 * text.length);
    } finally {
      concat.mockRestore();
    }
  });

  it('a bad header still stops the reader', async () => {
    const e = await readError('a,"b"c\n1,2\n', { skip: true });
    expect(e.code).toBe('CSV_BAD_RECORD');
  });
});

describe('headerNotes', () => {
  it('is silent for a clean header', () => {
    expect(headerNotes(['a', 'b'], 'f.csv')).toEqual([]);
  });
  it('reports blank and whitespace-only names and repeats once', () => {
    expect(headerNotes(['a', ' ', 'a', 'a', ''], 'f.csv')).toEqual([
      'f.csv: "a" is the name of columns 1, 3, 4; columns 2, 5 have no name; every column is kept and written back as it is (JSON keys: column_2, a_2, a_3, column_5)',
    ]);
  });
});
