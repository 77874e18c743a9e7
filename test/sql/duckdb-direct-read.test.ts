// score --engine duckdb loads a file with DuckDB's own read_csv only where DuckDB reads it as
// qualify's reader does (src/pipeline/duckdb-direct-read.ts). Table-driven: each file is scored
// by the default engine and by the DuckDB engine, in-process; the output bytes (or the error
// code) must be the same, whichever reader DuckDB's engine used. The byte scan is checked on
// its own: it must refuse exactly the files where DuckDB would accept what qualify refuses.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isQualifyError } from '../../src/core/errors.js';
import { parseDate } from '../../src/core/values.js';
import { openCsv } from '../../src/io/csv-reader.js';
import { directReadObstacle, scanForDuckDb } from '../../src/pipeline/duckdb-direct-read.js';
import { scoreFileWithDuckDb } from '../../src/pipeline/duckdb-engine.js';
import { scoreFile } from '../../src/pipeline/score-file.js';
import { mustCompile } from '../helpers/rules.js';

const RULES = mustCompile(`
name: AB
fields:
  a: { aliases: [a] }
  b: { aliases: [b], optional: true }
fit:
  rules:
    - { id: a1, why: A is one, when: { a: { equals: '1' } }, points: 40 }
engagement:
  rules:
    - { id: b, why: Each b, per: b, points: 5, max: 30 }
duplicates: { field: a }
score: { min: 0, max: 100 }
thresholds:
  - { min: 50, max: 100, tier: hot, stage: MQL, action: Call }
  - { min: 0, max: 49, tier: rest, stage: lead, action: Wait }
`);
const AS_OF = parseDate('2026-11-01', 'ymd')!;
const dir = mkdtempSync(join(tmpdir(), 'qualify-direct-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// name, file bytes, whether the scan lets DuckDB read it (before DuckDB's own refusals).
const CASES: [string, string | Buffer, boolean][] = [
  ['plain LF', 'a,b\n1,2\n3,4\n1,5\n', true],
  ['CRLF', 'a,b\r\n1,2\r\n3,4\r\n', true],
  ['no final line break', 'a,b\n1,2\n3,4', true],
  ['blank lines between and after rows', 'a,b\n1,2\n\n\n3,4\n\n', true],
  ['a BOM', '\ufeffa,b\n1,2\n', true],
  ['quoted line breaks (LF, CRLF, CR)', 'a,b\n"x\ny",2\n"p\r\nq",3\n', true],
  ['quoted empty and empty cells', 'a,b\n"",2\n,3\n', true],
  ['spaces kept around cells', 'a,b\n 1 , 2 \n', true],
  ['# is data', 'a,b\n#x,2\n', true],
  ['semicolons', 'a;b\n1,5;2\n', true],
  ['formula-like cells', 'a,b\n=1+1,@x\n-5,+1 555\n', true],
  ['unicode', 'a,b\nü,日本\n', true],
  ['only a header', 'a,b\n', true],
  ['mixed line endings (DuckDB refuses: qualify reads it)', 'a,b\r\n1,2\n3,4\r\n', true],
  ['a ragged row (both refuse)', 'a,b\n1,2,3\n', true],
  ['a whitespace-only line (both refuse)', 'a,b\n1,2\n   \n3,4\n', true],
  ['invalid UTF-8 (both refuse)', Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\n')]), true],
  ['blank lines before the header', '\n\na,b\n1,2\n', false],
  ['a CR inside a cell', 'a,b\n1\r2,3\n', false],
  ['a doubled CR (qualify: CSV_LINE_ENDING)', 'a,b\r\r\n1,2\r\n', false],
  ['spaces around a quoted cell', 'a,b\n "x" ,2\n', false],
  ['a quote inside an unquoted cell', 'a,b\nab"c,2\n', false],
  ['text after a closing quote', 'a,b\n"x"y,2\n', false],
  ['an unclosed quote', 'a,b\n"1,2\n', false],
];

async function run(engine: 'default' | 'duckdb', input: string, format: 'csv' | 'ndjson'): Promise<string> {
  const output = `${input}.${engine}.${format}`;
  const opts = { input, rules: RULES, asOfDay: AS_OF, format, output, inPlace: false, sanitize: true };
  try {
    await (engine === 'duckdb' ? scoreFileWithDuckDb(opts) : scoreFile(opts));
  } catch (e) {
    if (isQualifyError(e)) return `error ${e.code}`;
    throw e;
  }
  return readFileSync(output, 'utf8');
}

describe('score --engine duckdb reads every file as the default engine does', () => {
  it.each(CASES)('%s', async (name, bytes, scanOk) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.csv`);
    writeFileSync(file, bytes);
    const input = await openCsv(file).catch(() => null);
    if (input !== null) {
      expect(directReadObstacle(file, input)).toBeNull();
      expect(scanForDuckDb(file, input.form.delimiter)).toBe(scanOk);
    }
    for (const format of ['csv', 'ndjson'] as const) {
      const plain = await run('default', file, format);
      expect(await run('duckdb', file, format)).toBe(plain);
    }
  }, 30_000);

  it('a missing column is the same error, naming the file, in both engines', async () => {
    const file = join(dir, 'no-a.csv');
    writeFileSync(file, 'x,b\n1,2\n');
    const messages: string[] = [];
    for (const engine of ['default', 'duckdb'] as const) {
      const opts = { input: file, rules: RULES, asOfDay: AS_OF, format: 'csv' as const, output: `${file}.out`, inPlace: false, sanitize: true };
      const err = await (engine === 'duckdb' ? scoreFileWithDuckDb(opts) : scoreFile(opts)).then(() => null, (e: unknown) => e);
      expect(isQualifyError(err) && err.code).toBe('CSV_MISSING_COLUMN');
      messages.push(`${(err as Error).message} ${JSON.stringify((err as { at?: unknown }).at ?? null)}`);
    }
    expect(messages[1]).toBe(messages[0]);
    expect(messages[0]).toContain('no-a.csv');
  });

  it('does not try DuckDB\'s reader on stdin, other encodings, sep= lines, CR files, one column, glob-like paths', async () => {
    const cases: [string, string | Buffer, string][] = [
      ['latin1.csv', Buffer.from('a,b\n\xe9,2\n', 'latin1'), 'encoding'],
      ['sep.csv', 'sep=;\na;b\n1;2\n', 'sep='],
      ['cr.csv', 'a,b\r1,2\r', 'CR line endings'],
      ['one.csv', 'a\n1\n\n2\n', 'one-column'],
      ['star*.csv', 'a,b\n1,2\n', 'pattern'],
    ];
    for (const [name, bytes, why] of cases) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const input = await openCsv(file, name === 'latin1.csv' ? { encoding: 'latin1' } : {});
      expect(directReadObstacle(file, input), name).toContain(why);
    }
  });
});
