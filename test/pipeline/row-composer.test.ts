// The row composer (src/pipeline/row-composer.ts) writes the input cells of a CSV record either
// by copying the row's bytes as read (a row with no quote, CR or LF and nothing to neutralise) or
// by serialising its cells. The copy is only an optimisation: which path a row takes must not be
// observable. Each file is read from disk with openCsv and composed three ways: batches as read
// (bytes and spans present), the same batches with bytes and spans removed, and batches read
// without keepBytes; the outputs must be byte-identical, and must read back (csv-parse) as the
// input cells, neutralised under sanitizeInput, followed by the score cell.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ChunkBuilder } from '../../src/io/chunk-builder.js';
import { openCsv, type RecordBatch } from '../../src/io/csv-reader.js';
import { neutralizeFormula } from '../../src/io/sanitize.js';
import { createRowComposer } from '../../src/pipeline/row-composer.js';
import type { ScoreParts } from '../../src/pipeline/score-cells.js';

const dir = mkdtempSync(join(tmpdir(), 'qualify-composer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

type Layout = 'append' | 'rescore';
type Mode = 'as read' | 'bytes removed' | 'read without keepBytes';
const MODES: readonly Mode[] = ['as read', 'bytes removed', 'read without keepBytes'];

/** The score part of each row: `S<n>`, n counting rows across batches. */
function scoreParts(batchLength: number, firstRow: number): ScoreParts {
  const text: string[] = [];
  const ends = new Int32Array(batchLength);
  let len = 0;
  for (let b = 0; b < batchLength; b++) {
    const s = `S${firstRow + b}`;
    text.push(s);
    len += Buffer.byteLength(s);
    ends[b] = len;
  }
  return { bytes: Buffer.from(text.join('')), ends };
}

interface Composed {
  out: Buffer;
  header: string[];
  rows: string[][];
  recordDelimiter: string;
}

/** Reads `file` and writes every row through a fresh composer, in one of the three modes. */
async function compose(file: string, delimiter: string, layout: Layout, sanitizeInput: boolean, mode: Mode, batchSize?: number): Promise<Composed> {
  const input = await openCsv(file, {
    delimiter,
    // The nasty alphabet has NUL; a small file of them must not be taken for UTF-16.
    encoding: 'utf8',
    ...(mode === 'read without keepBytes' ? {} : { keepBytes: true }),
    ...(batchSize === undefined ? {} : { batchSize }),
  });
  const header = input.header;
  const recordDelimiter = input.form.recordDelimiter;
  const composer = createRowComposer({
    header,
    scoreAt: [layout === 'append' ? header.length : header.length - 1],
    outWidth: layout === 'append' ? header.length + 1 : header.length,
    sanitizeInput,
    delimiter,
    recordDelimiter,
  });
  const out = new ChunkBuilder(64);
  const rows: string[][] = [];
  for await (const read of input.batches()) {
    if (mode === 'read without keepBytes') expect(read.bytes).toBeUndefined();
    else {
      expect(read.bytes).toBeInstanceOf(Buffer);
      expect(read.spans).toBeInstanceOf(Int32Array);
    }
    const batch: RecordBatch = mode === 'bytes removed' ? read.slice() : read;
    const parts = scoreParts(batch.length, rows.length);
    for (let b = 0; b < batch.length; b++) composer(out, batch, b, parts);
    rows.push(...read);
  }
  return { out: out.take(), header, rows, recordDelimiter };
}

/** Composes `file` in all three modes: asserts they agree byte for byte and returns the bytes. */
async function composeAllWays(file: string, delimiter: string, layout: Layout, sanitizeInput: boolean, batchSize?: number): Promise<Composed> {
  const [asRead, ...others] = await Promise.all(MODES.map((m) => compose(file, delimiter, layout, sanitizeInput, m, batchSize)));
  for (const [i, other] of others.entries()) {
    // As strings first, for a readable diff; then as bytes (a lone surrogate would hide as U+FFFD).
    expect(other.out.toString('utf8'), `${MODES[i + 1]} vs as read`).toBe(asRead!.out.toString('utf8'));
    expect(other.out.equals(asRead!.out), `${MODES[i + 1]} vs as read (bytes)`).toBe(true);
    expect(other.rows).toEqual(asRead!.rows);
  }
  return asRead!;
}

/** What the output must read back as: input cells (neutralised when asked; an old score column
 * dropped) followed by the row's score cell. */
function expectedRecords(rows: readonly string[][], layout: Layout, sanitizeInput: boolean): string[][] {
  return rows.map((r, i) => [...(layout === 'append' ? r : r.slice(0, -1)).map((c) => (sanitizeInput ? neutralizeFormula(c) : c)), `S${i}`]);
}

// ---------------------------------------------------------------------------------------------
// Generated files. A cell holding CR or LF is always quoted here (as the brief for this property
// asks); line-break characters left bare in a cell are covered by the explicit examples below.

const NASTY = ['a', 'Z', '0', '7', ' ', ',', ';', '|', '\t', '"', '\r', '\n', '=', '+', '-', '@', "'", 'é', '😀', '\0', '＝'];
const PLAIN = ['a', 'b', 'Z', 'q', '0', '1', '9', ' ', '.', 'é', '😀', "'", '_'];
const numberArb = fc.oneof(fc.integer({ min: -99999, max: -1 }).map(String), fc.constantFrom('-5', '-42', '+3.5', '-1,200.50', '-2.5E-3', '+14155550123'));
const phoneArb = fc.constantFrom('+44 20 7946 0958', '+1 (415) 555-2671', '+33 1 23 45 67 89');
const formulaArb = fc.constantFrom('=cmd', '=1+1', '@SUM(A1)', '-1+1', "+cmd|' /C calc'!A0", '＝1', '\tx', '\0x');
/** Cells with no quote, CR or LF: mostly rows the composer may copy (a cell holding the
 * delimiter, or a formula under sanitizeInput, still makes the row one it must serialise). */
const plainCellArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: fc.constantFrom(...PLAIN), maxLength: 8 }) },
  { weight: 1, arbitrary: numberArb },
  { weight: 1, arbitrary: phoneArb },
  { weight: 1, arbitrary: formulaArb },
);
const cellArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: fc.constantFrom(...PLAIN), maxLength: 8 }) },
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...NASTY), maxLength: 8 }) },
  { weight: 1, arbitrary: numberArb },
  { weight: 1, arbitrary: phoneArb },
  { weight: 1, arbitrary: formulaArb },
);

/** A cell as it appears in the file: `quote` asks for quotes even when none are needed. */
interface FileCell {
  value: string;
  quote: boolean;
}
const fileCellArb: fc.Arbitrary<FileCell> = fc.record({ value: cellArb, quote: fc.integer({ min: 0, max: 4 }).map((n) => n === 0) });
const plainFileCellArb: fc.Arbitrary<FileCell> = fc.record({ value: plainCellArb, quote: fc.constant(false) });
/** A row of any cells, or (as often) of cells that mostly need no quotes, so that many rows
 * are ones the composer may copy. */
const fileRowArb = (width: number) =>
  fc.oneof(fc.array(fileCellArb, { minLength: width, maxLength: width }), fc.array(plainFileCellArb, { minLength: width, maxLength: width }));

interface FileSpec {
  delimiter: string;
  recordDelimiter: '\n' | '\r\n' | '\r';
  bom: boolean;
  header: FileCell[];
  /** Each row, and whether a blank line precedes it. */
  rows: { cells: FileCell[]; blankBefore: boolean }[];
  finalNewline: boolean;
  batchSize: number;
}

const fileArb = (layout: Layout): fc.Arbitrary<FileSpec> =>
  fc.integer({ min: 2, max: 6 }).chain((width) =>
    fc.record({
      delimiter: fc.constantFrom(',', ';', '\t', '|'),
      recordDelimiter: fc.constantFrom('\n' as const, '\r\n' as const, '\r' as const),
      bom: fc.boolean(),
      header: fc.array(fileCellArb, { minLength: width, maxLength: width }).map((h) =>
        // Re-scoring: the last column is the score column an earlier run appended.
        layout === 'rescore' ? [...h.slice(0, -1), { value: 'score', quote: false }] : h,
      ),
      rows: fc.array(
        fc.record({
          cells: fileRowArb(width),
          blankBefore: fc.boolean(),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      finalNewline: fc.boolean(),
      batchSize: fc.constantFrom(1, 3, 512),
    }),
  );

// The delimiter, a quote, a line break, or one of the common separators (`,` `;` TAB), which
// qualify quotes whatever the delimiter.
const needsQuotes = (v: string, d: string) => v.includes(d) || /[",;\t\r\n]/.test(v);

function fileText(spec: FileSpec): string {
  const d = spec.delimiter;
  const eol = spec.recordDelimiter;
  const line = (cells: readonly FileCell[]) =>
    cells.map((c) => (c.quote || needsQuotes(c.value, d) ? `"${c.value.replace(/"/g, '""')}"` : c.value)).join(d);
  let text = (spec.bom ? '\ufeff' : '') + line(spec.header);
  for (const row of spec.rows) text += eol + (row.blankBefore ? eol : '') + line(row.cells);
  return spec.finalNewline ? text + eol : text;
}

/** Whether the row's text in the file is exactly what serialising its cells gives (the test's
 * own model, only used to check that both kinds of row were generated often enough). */
function copyable(cells: readonly FileCell[], d: string, sanitizeInput: boolean, layout: Layout): boolean {
  const input = layout === 'append' ? cells : cells.slice(0, -1);
  return cells.every((c) => !c.quote && !needsQuotes(c.value, d)) && (!sanitizeInput || input.every((c) => neutralizeFormula(c.value) === c.value));
}

describe.each(['append', 'rescore'] as const)('layout %s: copying a row as read gives the bytes serialising it gives', (layout) => {
  it('for generated files with nasty cells, any delimiter and line ending, blank lines and a BOM (property)', async () => {
    const seen = { copyable: 0, serialised: 0 };
    await fc.assert(
      fc.asyncProperty(fileArb(layout), async (spec) => {
        const file = join(dir, `gen-${++fileNo}.csv`);
        writeFileSync(file, fileText(spec));
        for (const sanitizeInput of [true, false]) {
          const got = await composeAllWays(file, spec.delimiter, layout, sanitizeInput, spec.batchSize);
          // The reader saw the cells generated (else the property would test something else).
          expect(got.recordDelimiter).toBe(spec.recordDelimiter);
          expect(got.header).toEqual(spec.header.map((c) => c.value));
          expect(got.rows).toEqual(spec.rows.map((r) => r.cells.map((c) => c.value)));
          const back = parse(got.out, { delimiter: spec.delimiter, record_delimiter: spec.recordDelimiter });
          expect(back).toEqual(expectedRecords(got.rows, layout, sanitizeInput));
          for (const r of spec.rows) seen[copyable(r.cells, spec.delimiter, sanitizeInput, layout) ? 'copyable' : 'serialised']++;
        }
      }),
      { numRuns: 80 },
    );
    // Both paths were exercised plenty.
    expect(seen.copyable).toBeGreaterThan(250);
    expect(seen.serialised).toBeGreaterThan(250);
  });
});

// ---------------------------------------------------------------------------------------------
// Explicit examples: only the bytes written matter, whichever path a row takes.

interface Example {
  name: string;
  text: string;
  delimiter?: string;
  layout?: Layout;
  /** Output rows with sanitizeInput, and without (when they differ). */
  sanitized: string;
  raw?: string;
}

const examples: Example[] = [
  { name: 'a plain row', text: 'name,city\nAcme,Paris\n', sanitized: 'Acme,Paris,S0\n' },
  { name: 'a quoted cell that needs no quotes is written unquoted', text: 'name,city\n"Acme",Paris\n', sanitized: 'Acme,Paris,S0\n' },
  { name: 'a quoted cell holding the delimiter stays quoted', text: 'name,city\n"Acme, Inc",Paris\n', sanitized: '"Acme, Inc",Paris,S0\n' },
  { name: 'doubled quotes stay doubled', text: 'name,city\n"say ""hi""",Paris\n', sanitized: '"say ""hi""",Paris,S0\n' },
  { name: 'a formula is neutralised (sanitizeInput) or kept', text: 'name,city\n=cmd,Paris\n', sanitized: "'=cmd,Paris,S0\n", raw: '=cmd,Paris,S0\n' },
  { name: 'a formula in a later cell', text: 'name,city\nAcme,@SUM(A1)\n', sanitized: "Acme,'@SUM(A1),S0\n", raw: 'Acme,@SUM(A1),S0\n' },
  { name: 'a full-width formula', text: 'name,city\nAcme,＝1\n', sanitized: "Acme,'＝1,S0\n", raw: 'Acme,＝1,S0\n' },
  { name: 'a plain negative number is kept', text: 'name,n\nAcme,-42\n', sanitized: 'Acme,-42,S0\n' },
  { name: 'a phone number is kept', text: 'name,phone\nAcme,+44 20 7946 0958\n', sanitized: 'Acme,+44 20 7946 0958,S0\n' },
  { name: 'a bare CR inside a cell in an LF file is quoted', text: 'name,city\nAc\rme,Paris\n', sanitized: '"Ac\rme",Paris,S0\n' },
  { name: 'a bare CR in the last cell of an LF file is quoted', text: 'name,city\nAcme,Pa\rris\n', sanitized: 'Acme,"Pa\rris",S0\n' },
  { name: 'a quoted CR inside a cell in an LF file stays quoted', text: 'name,city\n"Ac\rme",Paris\n', sanitized: '"Ac\rme",Paris,S0\n' },
  { name: 'a bare LF inside a cell of a CR file is quoted', text: 'name|city\rAcme|Pa\nris\r', delimiter: '|', sanitized: 'Acme|"Pa\nris"|S0\r' },
  { name: 'a row after a blank line (LF)', text: 'name,city\nAcme,Paris\n\nBeta,Oslo\n', sanitized: 'Acme,Paris,S0\nBeta,Oslo,S1\n' },
  { name: 'a row after blank lines (CRLF)', text: 'name,city\r\n\r\nAcme,Paris\r\n\r\n\r\nBeta,Oslo\r\n', sanitized: 'Acme,Paris,S0\r\nBeta,Oslo,S1\r\n' },
  { name: 'a row after a blank line (CR)', text: 'name;city\rAcme;Paris\r\rBeta;Oslo\r', delimiter: ';', sanitized: 'Acme;Paris;S0\rBeta;Oslo;S1\r' },
  { name: 'a last row without a line ending', text: 'name,city\nAcme,Paris\nBeta,Oslo', sanitized: 'Acme,Paris,S0\nBeta,Oslo,S1\n' },
  { name: 'CRLF rows in an LF file are written with LF', text: 'name,city\nAcme,Paris\r\nBeta,Oslo\n', sanitized: 'Acme,Paris,S0\nBeta,Oslo,S1\n' },
  { name: 'a BOM', text: '\ufeffname\tcity\nAcme\tParis\n', delimiter: '\t', sanitized: 'Acme\tParis\tS0\n' },
  { name: 'empty cells', text: 'a,b,c\n,,\n', sanitized: ',,,S0\n' },
  { name: 'multi-byte cells', text: 'name,city\nJosé 😀,Zürich\n', sanitized: 'José 😀,Zürich,S0\n' },
  { name: 'a quoted row followed by a plain one', text: 'name,city\n"A\nB",Paris\nBeta,Oslo\n', sanitized: '"A\nB",Paris,S0\nBeta,Oslo,S1\n' },
  { name: 'a row starting with a bare CR (LF file): the CR is a character, not a blank line', text: 'name,city\n\rAcme,Paris\n', sanitized: '"\'\rAcme",Paris,S0\n', raw: '"\rAcme",Paris,S0\n' },
  { name: 'a row starting with a bare CR after a blank line (CRLF file)', text: 'a,b\r\n\r\n\rfoo,bar\r\n', sanitized: '"\'\rfoo",bar,S0\r\n', raw: '"\rfoo",bar,S0\r\n' },
  { name: 'a row starting with an LF in a CR file', text: 'a|b\rx|y\r\nfoo|bar\r', delimiter: '|', sanitized: 'x|y|S0\r"\'\nfoo"|bar|S1\r', raw: 'x|y|S0\r"\nfoo"|bar|S1\r' },
  { name: 'a needed quote and an unneeded one in the same row', text: 'name,city\n"Acme, Inc","Paris"\n', sanitized: '"Acme, Inc",Paris,S0\n' },
  { name: 'quoted cells that all need their quotes, multi-byte', text: 'name,note\n"José, 😀","a ""b"";\nc"\n', sanitized: '"José, 😀","a ""b"";\nc",S0\n' },
  { name: 'a quoted formula next to a quoted comma', text: 'name,city\n"=1,2","Oslo, NO"\n', sanitized: '"\'=1,2","Oslo, NO",S0\n', raw: '"=1,2","Oslo, NO",S0\n' },
  { name: 'a quoted cell with a bare CR after it in an LF file', text: 'name,city\n"A,B",Pa\rris\n', sanitized: '"A,B","Pa\rris",S0\n' },
  { name: 're-scoring a quoted row keeps the needed quotes only', text: 'name,city,score\n"Acme, Inc","Paris","o,ld"\n', layout: 'rescore', sanitized: '"Acme, Inc",Paris,S0\n' },
  { name: 're-scoring a plain row replaces the old score', text: 'name,city,score\nAcme,Paris,old\n', layout: 'rescore', sanitized: 'Acme,Paris,S0\n' },
  { name: 're-scoring keeps a quoted cell quoted', text: 'name,city,score\n"Acme, Inc",Paris,"o,ld"\n', layout: 'rescore', sanitized: '"Acme, Inc",Paris,S0\n' },
  { name: 're-scoring a row with a formula', text: 'name,city,score\nAcme,=cmd,old\n', layout: 'rescore', sanitized: "Acme,'=cmd,S0\n", raw: 'Acme,=cmd,S0\n' },
  { name: 're-scoring after a blank line, CRLF', text: 'name;score\r\nAcme;1\r\n\r\n"Beta";2\r\n', delimiter: ';', layout: 'rescore', sanitized: 'Acme;S0\r\nBeta;S1\r\n' },
];

describe('explicit examples: the bytes written, whether the row was copied or serialised', () => {
  it.each(examples)('$name', async (ex) => {
    const file = join(dir, `example-${++fileNo}.csv`);
    writeFileSync(file, ex.text);
    const layout = ex.layout ?? 'append';
    const delimiter = ex.delimiter ?? ',';
    for (const sanitizeInput of [true, false]) {
      const got = await composeAllWays(file, delimiter, layout, sanitizeInput);
      const want = sanitizeInput ? ex.sanitized : (ex.raw ?? ex.sanitized);
      expect(got.out.toString('utf8'), `sanitizeInput ${sanitizeInput}`).toBe(want);
      expect(parse(got.out, { delimiter, record_delimiter: got.recordDelimiter })).toEqual(expectedRecords(got.rows, layout, sanitizeInput));
    }
  });
});

describe('a file read in several 64 KiB slices', () => {
  it('rows that begin in one slice and end in the next are serialised, the rest copied: same bytes as serialising all', async () => {
    // ~200 KiB of plain rows (all copyable), CRLF, with a long row now and then.
    const lines = ['Id,Name,Note'];
    for (let i = 0; i < 3000; i++) lines.push(`id${i},name ${i},${i % 97 === 0 ? 'x'.repeat(3000) : `note ${i}`}`);
    const file = join(dir, `slices-${++fileNo}.csv`);
    writeFileSync(file, lines.join('\r\n') + '\r\n');
    const input = await openCsv(file, { keepBytes: true });
    let straddling = 0;
    let within = 0;
    for await (const batch of input.batches()) {
      for (let b = 0; b < batch.length; b++) {
        if (batch.spans![2 * b] === -1) straddling++;
        else within++;
      }
    }
    expect(straddling).toBeGreaterThan(1); // the test is about them
    expect(within).toBeGreaterThan(2900);
    const composed = await composeAllWays(file, ',', 'append', true);
    expect(parse(composed.out, { delimiter: ',', record_delimiter: ['\r\n'] })).toEqual(expectedRecords(composed.rows, 'append', true));
  });
});
