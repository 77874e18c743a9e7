// NDJSON and JSON out copy a row's input fields from its bytes as read when that gives the same
// text as JSON.stringify on its cells (formats/json.ts, createJsonFieldCopier). The copy is only
// an optimisation: each generated file is composed from batches as read (bytes present) and from
// the same batches with the bytes removed; the two must be byte-identical, and every object must
// read back (JSON.parse) as the row's cells as the reader gave them, then the score part.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ChunkBuilder } from '../../src/io/chunk-builder.js';
import { openCsv, type RecordBatch } from '../../src/io/csv-reader.js';
import { uniqueKeys } from '../../src/io/record-writer.js';
import { format as ndjson } from '../../src/pipeline/formats/ndjson.js';
import { format as json } from '../../src/pipeline/formats/json.js';
import type { ScoreParts } from '../../src/pipeline/score-cells.js';

const dir = mkdtempSync(join(tmpdir(), 'qualify-json-composer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

/** The score part of each row: `"s":<n>`, n counting rows across batches. */
function scoreParts(n: number, first: number): ScoreParts {
  const ends = new Int32Array(n);
  let text = '';
  for (let b = 0; b < n; b++) {
    text += `"s":${first + b}`;
    ends[b] = Buffer.byteLength(text);
  }
  return { bytes: Buffer.from(text), ends };
}

async function compose(file: string, delimiter: string, lines: boolean, withBytes: boolean): Promise<{ out: string; rows: string[][]; header: string[] }> {
  const input = await openCsv(file, { delimiter, encoding: 'utf8', keepBytes: true });
  const format = lines ? ndjson : json;
  const header = input.header;
  const composer = format.rowComposer({ header, scoreAt: [header.length], outWidth: header.length + 1, sanitizeInput: false, delimiter, recordDelimiter: input.form.recordDelimiter });
  const out = new ChunkBuilder(64);
  out.text(format.prologue({ header, headerRaw: null, form: input.form, scoreAt: [header.length], scoreNames: ['s'], sanitizeInput: false }));
  const rows: string[][] = [];
  for await (const read of input.batches()) {
    const batch: RecordBatch = withBytes ? read : read.slice();
    const parts = scoreParts(batch.length, rows.length);
    for (let b = 0; b < batch.length; b++) composer(out, batch, b, parts);
    rows.push(...read);
  }
  out.text(format.epilogue(rows.length));
  return { out: out.take().toString('utf8'), rows, header };
}

const CELL_UNITS = ['a', 'Z', '0', ' ', ',', ';', '|', '\t', '"', '\\', '\r', '\n', '/', 'é', '😀', '\u2028', '\u007f', '\0', '\u0001', '='];
const PLAIN_UNITS = ['a', 'b', 'Z', '0', '9', ' ', '.', 'é', '😀', '-', '_'];
const cellArb = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...PLAIN_UNITS), maxLength: 8 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...CELL_UNITS), maxLength: 8 }) },
);
const fileArb = fc.integer({ min: 1, max: 5 }).chain((width) =>
  fc.record({
    delimiter: fc.constantFrom(',', ';', '\t', '|'),
    recordDelimiter: fc.constantFrom('\n', '\r\n', '\r'),
    header: fc.array(fc.constantFrom('id', 'name', 'name', '', 'a"b', '__proto__', 'x\\y'), { minLength: width, maxLength: width }),
    rows: fc.array(
      fc.record({
        cells: fc.array(fc.record({ value: cellArb, quote: fc.boolean() }), { minLength: width, maxLength: width }),
        blankBefore: fc.boolean(),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    finalNewline: fc.boolean(),
  }),
);

interface FileCell {
  value: string;
  quote: boolean;
}
interface FileSpec {
  delimiter: string;
  recordDelimiter: string;
  header: string[];
  rows: { cells: FileCell[]; blankBefore: boolean }[];
  finalNewline: boolean;
}

function fileText(spec: FileSpec): string {
  const d = spec.delimiter;
  const cell = (c: FileCell) => (c.quote || c.value.includes(d) || /["\r\n]/.test(c.value) ? `"${c.value.replace(/"/g, '""')}"` : c.value);
  const line = (cells: FileCell[]) => cells.map(cell).join(d);
  let text = line(spec.header.map((h) => ({ value: h, quote: false })));
  for (const r of spec.rows) text += spec.recordDelimiter + (r.blankBefore ? spec.recordDelimiter : '') + line(r.cells);
  return spec.finalNewline ? text + spec.recordDelimiter : text;
}

describe.each([
  ['ndjson', true],
  ['json', false],
] as const)('%s out: copying input fields from the bytes read gives what JSON.stringify gives', (_name, lines) => {
  it('for generated files with quotes, backslashes, control characters, any delimiter and line ending (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, async (spec) => {
        const text = fileText(spec);
        const file = join(dir, `gen-${++fileNo}.csv`);
        writeFileSync(file, text);
        let copied: Awaited<ReturnType<typeof compose>>;
        try {
          copied = await compose(file, spec.delimiter, lines, true);
        } catch {
          return; // the reader refused the file (its own tests cover why)
        }
        const serialised = await compose(file, spec.delimiter, lines, false);
        expect(copied.out).toBe(serialised.out);
        const objects: Record<string, unknown>[] = lines ? copied.out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)) : JSON.parse(copied.out);
        const keys = uniqueKeys(copied.header);
        expect(objects.length).toBe(copied.rows.length);
        // As entries, not an object: a `__proto__` column is a field like any other.
        objects.forEach((o, i) => expect(Object.entries(o)).toEqual([...keys.map((k, c) => [k, copied.rows[i]![c] ?? '']), ['s', i]]));
      }),
      { numRuns: 150 },
    );
  });

  it('copies the common rows: plain, quoted with a separator inside, and not one with a backslash or a doubled quote', async () => {
    const file = join(dir, `fixed-${lines}.csv`);
    writeFileSync(file, 'a,b,c\n1,"x, y",z\n2,"say ""hi""",z\n3,back\\slash,z\n4,é😀,\n');
    const copied = await compose(file, ',', lines, true);
    expect(copied.out).toBe((await compose(file, ',', lines, false)).out);
    const objects = lines ? copied.out.trim().split('\n').map((l) => JSON.parse(l)) : JSON.parse(copied.out);
    expect(objects).toEqual([
      { a: '1', b: 'x, y', c: 'z', s: 0 },
      { a: '2', b: 'say "hi"', c: 'z', s: 1 },
      { a: '3', b: 'back\\slash', c: 'z', s: 2 },
      { a: '4', b: 'é😀', c: '', s: 3 },
    ]);
  });
});
