// `score --in-place` writes every input cell back byte for byte, as it was in the file (quotes
// that were not needed, quoted delimiters, doubled quotes and line breaks), each row with its own
// line ending, and only the score cells are new text: inline and in the worker thread alike, and
// a second run over the result changes nothing. Driven through the built CLI (npm test builds),
// run in this process (runInProcess: twelve runs, no node start each; the worker a real thread).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RULES = join(root, 'fixtures', 'hostile', 'rules.yaml');
const base = mkdtempSync(join(tmpdir(), 'qualify-in-place-raw-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const SCORE_COLS = ['fit', 'engagement', 'score', 'tier', 'stage', 'class', 'action', 'reasons'];

/** A record as written in the file: its raw text and its line ending ('' for the last line). */
type Line = [raw: string, eol: string];

const FILES: { name: string; delimiter: string; lines: Line[] }[] = [
  {
    name: 'comma, CRLF with an LF row, no final newline',
    delimiter: ',',
    lines: [
      ['"Company",Email,"Employees",Notes', '\r\n'],
      ['"Acme","a@acme.com","123","say ""hi"", then\r\nleave"', '\r\n'],
      ['Beta,b@beta.io,60,plain', '\n'],
      ['"Gamma, Inc",g@g.com,"0042","multi\nline; with ""quotes"""', '\r\n'],
      ['"",e@e.com,"60",', '\r\n'],
      ['"Delta","d@d.com","",""', ''],
    ],
  },
  {
    name: 'semicolon, CRLF, quoted delimiters',
    delimiter: ';',
    lines: [
      ['Company;"Email";Employees', '\r\n'],
      ['"Acme; Ltd";"a@acme.com";"120"', '\r\n'],
      ['"Müller ""GmbH""";m@x.de;"1.200"', '\r\n'],
      ['Zeta;"z@z.io";7', '\r\n'],
    ],
  },
];

let n = 0;
async function scoreInPlace(text: string, worker: boolean): Promise<{ exit: number; stderr: string; out: string }> {
  const dir = join(base, `case-${++n}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'in.csv'), text);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', QUALIFY_WORKER: worker ? '1' : '0' };
  const r = await runInProcess(['score', 'in.csv', '-r', RULES, '--as-of', '2026-11-01', '--in-place', '-q'], env, dir);
  return { exit: r.status, stderr: r.stderr.toString('utf8'), out: readFileSync(join(dir, 'in.csv'), 'utf8') };
}

/** Checks that `out` is each input line's raw text, the delimiter, eight score cells (no line
 * breaks in them) and that line's own ending; returns the score cells of each line. */
function expectRawKept(out: string, lines: Line[], d: string): string[][] {
  const scores: string[][] = [];
  let at = 0;
  lines.forEach(([raw, eol], i) => {
    expect(out.slice(at, at + raw.length + d.length), `line ${i + 1}`).toBe(raw + d);
    at += raw.length + d.length;
    const end = eol === '' ? out.length : out.indexOf(eol, at);
    expect(end, `line ${i + 1} ending`).toBeGreaterThan(at);
    const tail = out.slice(at, end);
    expect(tail, `line ${i + 1} score cells`).not.toMatch(/[\r\n]/);
    const cells = parse(tail, { delimiter: d }) as string[][];
    expect(cells).toHaveLength(1);
    expect(cells[0]).toHaveLength(SCORE_COLS.length);
    scores.push(cells[0]!);
    expect(out.slice(end, end + eol.length)).toBe(eol);
    at = end + eol.length;
  });
  expect(at, 'nothing after the last line').toBe(out.length);
  return scores;
}

describe('score --in-place keeps every input cell byte for byte', () => {
  describe.each(FILES)('$name', ({ delimiter, lines }) => {
    const text = lines.map(([raw, eol]) => raw + eol).join('');

    it.each([
      ['inline', false],
      ['in the worker thread (QUALIFY_WORKER=1)', true],
    ])('%s: input cells unchanged, score cells appended, each row its own line ending; a second run is byte-identical', async (_mode, worker) => {
      const first = await scoreInPlace(text, worker);
      expect(first.stderr).toBe('');
      expect(first.exit).toBe(0);
      const scores = expectRawKept(first.out, lines, delimiter);
      expect(scores[0]).toEqual(SCORE_COLS);
      // The rows still read as the same values, plus the scores.
      const reread = parse(first.out, { delimiter, record_delimiter: ['\r\n', '\n'] }) as string[][];
      const original = parse(text, { delimiter, record_delimiter: ['\r\n', '\n'] }) as string[][];
      expect(reread.map((r) => r.slice(0, original[0]!.length))).toEqual(original);

      // Re-scoring replaces the score columns in place: nothing else moves.
      const second = await scoreInPlace(first.out, worker);
      expect(second.exit).toBe(0);
      expect(second.out).toBe(first.out);
      // Inline and worker give the same bytes.
      const other = await scoreInPlace(text, !worker);
      expect(other.out).toBe(first.out);
    });
  });
});

describe('openCsv keepRaw', () => {
  // Over several 64 KiB slices, so records straddle the slices the parser is given.
  const rows: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const cells = [`"id${i}"`, i % 3 ? `n${i}` : `"Müller, ""€${i}"""`, i % 7 ? '' : `"two\r\nlines ${i}"`, `"${'x'.repeat(i % 50)}"`];
    rows.push(cells.join(',') + (i === 5999 ? '' : i % 5 ? '\r\n' : '\n'));
  }
  const text = 'Id,Name,Note,Pad\r\n' + rows.join('');

  it.each([
    ['fast path', false],
    ['skip-invalid mode', true],
  ])('%s: header and record texts with their endings give the file back exactly', async (_mode, skipInvalid) => {
    const { openCsv } = await import('../../src/io/csv-reader.js');
    const dir = join(base, `reader-${++n}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'in.csv'), text);
    const input = await openCsv(join(dir, 'in.csv'), { keepRaw: true, batchSize: 100, ...(skipInvalid ? { onReject: () => {} } : {}) });
    let back = input.headerRaw!.text + input.headerRaw!.eol;
    let count = 0;
    for await (const batch of input.batches()) {
      expect(batch.raws).toHaveLength(batch.length);
      expect(batch.eols).toHaveLength(batch.length);
      batch.forEach((_row, i) => (back += batch.raws![i]! + batch.eols![i]!));
      count += batch.length;
    }
    expect(count).toBe(6000);
    expect(back).toBe(text);
  });

  it.each([
    ['LF file, a cell starting with a bare CR', 'Id,Name\n\rid1,n1\n\nid2,n2\n', ['\rid1,n1', 'id2,n2'], ['\n', '\n']],
    ['CRLF file, a blank line then a bare CR', 'Id,Name\r\n\r\n\rid1,n1\r\n', ['\rid1,n1'], ['\r\n']],
    ['CR file, a cell starting with an LF', 'Id|Name\rid1|n1\r\nid2|n2\r', ['id1|n1', '\nid2|n2'], ['\r', '\r']],
  ])('%s: the character is text, not a blank line', async (_name, text, raws, eols) => {
    const { openCsv } = await import('../../src/io/csv-reader.js');
    const dir = join(base, `reader-${++n}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'in.csv'), text);
    const input = await openCsv(join(dir, 'in.csv'), { keepRaw: true });
    const got: { raws: string[]; eols: string[]; cells: string[][] } = { raws: [], eols: [], cells: [] };
    for await (const batch of input.batches()) {
      got.raws.push(...batch.raws!);
      got.eols.push(...batch.eols!);
      got.cells.push(...batch);
    }
    expect(got.raws).toEqual(raws);
    expect(got.eols).toEqual(eols);
    // The parser agrees: the raw text is exactly the row's cells joined.
    expect(got.cells.map((c) => c.join(input.form.delimiter))).toEqual(raws);
  });

  it.each([
    ['fast path', false],
    ['skip-invalid mode', true],
  ])('%s: blank lines (before the header, between records, at the end) come back verbatim as leads and trailing text', async (_mode, skipInvalid) => {
    const { openCsv } = await import('../../src/io/csv-reader.js');
    const dir = join(base, `reader-${++n}`);
    mkdirSync(dir);
    // Over several 64 KiB slices, blank lines of every kind straddling them.
    const lines = ['\r\n\nId,Name\r\n'];
    for (let i = 0; i < 6000; i++) lines.push(`${i % 4 === 0 ? ['\n', '\r\n', '\r\n\r\n\n'][i % 3] : ''}id${i},${'x'.repeat(i % 40)}\r\n`);
    const text = lines.join('') + '\n\r\n\n';
    writeFileSync(join(dir, 'in.csv'), text);
    const input = await openCsv(join(dir, 'in.csv'), { keepRaw: true, batchSize: 100, ...(skipInvalid ? { onReject: () => {} } : {}) });
    let back = input.headerRaw!.lead + input.headerRaw!.text + input.headerRaw!.eol;
    let count = 0;
    for await (const batch of input.batches()) {
      batch.forEach((_row, i) => (back += batch.leads![i]! + batch.raws![i]! + batch.eols![i]!));
      count += batch.length;
    }
    back += input.trailingBlankLines();
    expect(count).toBe(6000);
    expect(back).toBe(text);
  });

  it('without keepRaw, batches carry no raw text', async () => {
    const { openCsv } = await import('../../src/io/csv-reader.js');
    const dir = join(base, `reader-${++n}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'in.csv'), text);
    const input = await openCsv(join(dir, 'in.csv'));
    expect(input.headerRaw).toBeNull();
    for await (const batch of input.batches()) expect(batch.raws).toBeUndefined();
  });
});
