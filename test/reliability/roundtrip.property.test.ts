// Property: for any generated CSV (random headers with repeats, blanks, unicode, __proto__;
// cells with delimiters, quotes, line breaks, formula characters; randomly quoted; LF or CRLF;
// ragged rows and stray quotes), `score --skip-invalid` puts every row either in the output,
// every input cell unchanged and in order, or in the rejects file with its exact text, line and
// record number; re-reading the output gives the input columns back. Runs the pipeline
// in-process (scoreFile), one temp dir per run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/io/rules-file.js';
import { restoreFormula } from '../../src/io/sanitize.js';
import { scoreFile } from '../../src/pipeline/score-file.js';
import { AS_OF } from '../helpers/rules.js';

const { rules } = loadRules(fileURLToPath(new URL('../../fixtures/hostile/rules.yaml', import.meta.url)));
/** Modest for CI; QUALIFY_PROPERTY_RUNS=1000 for a longer hunt. */
const RUNS = Number(process.env['QUALIFY_PROPERTY_RUNS'] ?? 50);
const SCORE_COLS = ['fit', 'engagement', 'score', 'tier', 'stage', 'class', 'action', 'reasons'];
const base = mkdtempSync(join(tmpdir(), 'qualify-roundtrip-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A row as generated: its cells, and how it is damaged (if at all). */
type Row = { cells: string[]; damage: 'none' | 'short' | 'long' | 'stray-quote' };

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 2, arbitrary: fc.stringMatching(/^[ a-zA-Z0-9,;|"=+@\-\t'.]{0,8}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'Acme, Inc', 'say "hi"', 'two\nlines', 'crlf\r\ninside', 'cr\ronly', '=1+2', '-5', '+44 20 7946 0958', '@SUM(A1)', 'José', 'Zoë ✓ 🎉', '\u0000nul') },
);
// No U+FEFF (a leading one is a byte-order mark to every reader).
const cell = text.filter((s) => !s.includes('\ufeff'));
const headerName = fc.oneof(
  cell.filter((s) => !SCORE_COLS.includes(s) && s !== 'qualified_at' && !/^sep=/i.test(s)),
  fc.constantFrom('Email', 'Email', 'Employees', '', '__proto__', 'constructor', 'toString'),
);

const csvFile = fc
  .record({
    header: fc.array(headerName, { minLength: 2, maxLength: 5 }),
    eol: fc.constantFrom('\n', '\r\n'),
    rowSeeds: fc.array(fc.record({ cells: fc.array(cell, { minLength: 6, maxLength: 6 }), damage: fc.constantFrom<Row['damage']>('none', 'none', 'none', 'none', 'short', 'long', 'stray-quote') }), { maxLength: 12 }),
    quoteAll: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    finalNewline: fc.boolean(),
  })
  .map(({ header, eol, rowSeeds, quoteAll, finalNewline }) => {
    const w = header.length;
    const rows: Row[] = rowSeeds.map(({ cells, damage }) => {
      if (damage === 'short') return { cells: cells.slice(0, w - 1), damage };
      if (damage === 'long') return { cells: cells.slice(0, w + 1), damage };
      if (damage === 'stray-quote') return { cells: cells.slice(0, w).map((c) => c.replace(/[\r\n"]/g, '')), damage };
      return { cells: cells.slice(0, w), damage };
    });
    return { header, eol, rows, quoteAll, finalNewline };
  })
  // A single empty cell is a blank line, which every reader skips: not a row to lose.
  .filter(({ rows }) => rows.every((r) => !(r.cells.length === 1 && r.cells[0] === '')));

function field(s: string, quote: boolean): string {
  return quote || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function serialize(cells: string[], quote: boolean[], damage: Row['damage']): string {
  const out = cells.map((c, i) => field(c, quote[i % quote.length]!));
  // A quote inside an unquoted value after some text: a misplaced quote on this line only.
  if (damage === 'stray-quote') out[0] = `x"${cells[0]!.replace(/,/g, '')}`;
  return out.join(',');
}

const lineBreaks = (s: string) => (s.match(/\r\n|\r|\n/g) ?? []).length;

interface CsvCase {
  header: string[];
  eol: string;
  rows: Row[];
  quoteAll: boolean[];
  finalNewline: boolean;
}

async function check(file: CsvCase, sanitize: boolean): Promise<void> {
  const dir = mkdtempSync(join(base, 'run-'));
  const lines = [serialize(file.header, file.quoteAll, 'none'), ...file.rows.map((r) => serialize(r.cells, file.quoteAll, r.damage))];
  const input = lines.join(file.eol) + (file.finalNewline ? file.eol : '');
  writeFileSync(join(dir, 'in.csv'), input);

  // What must come out: good rows in the output, the others in the rejects file.
  const good: string[][] = [];
  const rejected: [string, string, string][] = [];
  let line = 2 + lineBreaks(lines[0]!); // where the first data row starts
  file.rows.forEach((r, i) => {
    if (r.damage === 'none') good.push(r.cells);
    else rejected.push([String(line), String(i + 1), lines[i + 1]!]);
    line += 1 + lineBreaks(lines[i + 1]!);
  });

  const stats = await scoreFile({
    input: join(dir, 'in.csv'),
    rules,
    asOfDay: AS_OF,
    format: 'csv',
    output: join(dir, 'out.csv'),
    inPlace: false,
    delimiter: ',', // a header like `a;b;c` would otherwise rightly be sniffed as ;-delimited
    sanitize,
    rejects: join(dir, 'rejects.csv'),
  });
  const unsanitize = sanitize ? restoreFormula : (s: string) => s;
  const out = (parse(readFileSync(join(dir, 'out.csv')), { bom: true, relax_column_count: false }) as string[][]).map((r) => r.map(unsanitize));
  expect(out[0]).toEqual([...file.header, ...SCORE_COLS]);
  expect(out.slice(1).map((r) => r.slice(0, file.header.length))).toEqual(good);
  const rej = parse(readFileSync(join(dir, 'rejects.csv')), { bom: true }) as string[][];
  expect(rej[0]).toEqual(['line', 'record', 'reason', 'raw']);
  expect(rej.slice(1).map((r) => [r[0], r[1], unsanitize(r[3]!)])).toEqual(rejected);
  expect(stats.rowsWritten).toBe(good.length);
  expect(stats.rejected).toBe(rejected.length);
  rmSync(dir, { recursive: true, force: true });
}

describe('round trip under --skip-invalid (property)', () => {
  it('--no-sanitize: every cell unchanged in the output, or its row verbatim in the rejects file, in order', async () => {
    await fc.assert(
      fc.asyncProperty(csvFile, (file) => check(file, false)),
      { numRuns: RUNS },
    );
  });

  it('sanitised output: restoreFormula gives every cell back (cells already starting with \' aside: see sanitize.ts)', async () => {
    await fc.assert(
      fc.asyncProperty(
        csvFile.filter((f) => [f.header, ...f.rows.map((r) => r.cells)].every((cells) => cells.every((c) => !c.startsWith("'")))),
        (file) => check(file, true),
      ),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});
