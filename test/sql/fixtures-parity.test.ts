// Every shipped scoring rules file on every fixture, through the three engines: the default
// scorer (what `qualify score` runs), the compiled SQL on DuckDB, and the compiled SQL on a real
// PostgreSQL server. Every score column of every row must be identical, reasons included; a file
// that the rules cannot score (a missing column) must fail the same way in all three. Then the
// CLI itself: `score --engine duckdb` writes the same bytes as `score`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCsv } from '../../src/io/csv-reader.js';
import { loadRules } from '../../src/io/rules-file.js';
import { isQualifyError } from '../../src/core/errors.js';
import { parseDate } from '../../src/core/values.js';
import { runInProcess } from '../helpers/in-process-cli.js';
import { scoreWithCli, scoreWithDuckDb, scoreWithPostgres, usePostgres } from './engines.js';

const ROOT = join(import.meta.dirname, '../..');
const AS_OF = parseDate('2026-11-01', 'ymd')!;
/** Scoring rules files shipped with the project (questionnaires and broken examples aside). */
const RULES = ['rules/default.yaml', ...readdirSync(join(ROOT, 'fixtures/rules')).map((f) => `fixtures/rules/${f}`), 'fixtures/hostile/rules.yaml'].filter((f) => {
  try {
    loadRules(join(ROOT, f));
    return true;
  } catch {
    return false; // broken.yaml and the questionnaires: not scoring rules
  }
});
/** Every CSV fixture, found rather than listed, so that a fixture added later is compared too. */
const FIXTURES = (readdirSync(join(ROOT, 'fixtures'), { recursive: true }) as string[])
  .filter((f) => f.endsWith('.csv'))
  .map((f) => `fixtures/${f.split(sep).join('/')}`)
  .sort();

async function readFixture(file: string): Promise<{ header: string[]; rows: string[][] }> {
  const input = await openCsv(join(ROOT, file));
  const rows: string[][] = [];
  for await (const batch of input.batches()) for (const r of batch) rows.push(r.slice());
  return { header: input.header, rows };
}

/** The engine's score cells, or the code of the error it stopped with. */
async function outcome(f: () => unknown): Promise<unknown> {
  try {
    return await f();
  } catch (e) {
    if (isQualifyError(e)) return e.code;
    throw e;
  }
}

const server = usePostgres();

describe('every shipped rules file on every fixture: CLI, DuckDB and PostgreSQL agree', () => {
  it('has rules files and fixtures to compare', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(5);
    expect(RULES).toContain('rules/default.yaml');
    expect(FIXTURES).toEqual(expect.arrayContaining(['fixtures/purchased-list.csv', 'fixtures/webinar-export.csv', 'fixtures/european/leads-semicolon.csv']));
  });
  for (const rulesFile of RULES) {
    for (const fixture of FIXTURES) {
      it(`${rulesFile} on ${fixture}`, async () => {
        const rules = loadRules(join(ROOT, rulesFile)).rules;
        const { header, rows } = await readFixture(fixture);
        const cli = await outcome(() => scoreWithCli(rules, header, rows, AS_OF));
        const duck = await outcome(() => scoreWithDuckDb(rules, header, rows, AS_OF));
        expect(duck).toEqual(cli);
        const p = server();
        const pgOut = await outcome(() => scoreWithPostgres(p, rules, header, rows, AS_OF));
        expect(pgOut).toEqual(cli);
      }, 60_000);
    }
  }
});

describe('qualify score --engine duckdb writes what qualify score writes', () => {
  // In this process (test/helpers/in-process-cli.ts): one node start-up for the file instead of
  // one per run. One DuckDB run still goes through bin/qualify.js, so that the engine is seen to
  // load and write its bytes in a process of its own as a user runs it.
  const here = async (args: string[]) => {
    const r = await runInProcess(args, process.env, ROOT);
    return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
  };
  const child = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/qualify.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  it.each([
    ['csv', 'in this process'],
    ['ndjson', 'as a child process'],
  ])('purchased list, %s: same bytes, exit 0 (--engine duckdb %s)', async (format, where) => {
    const args = ['score', 'fixtures/purchased-list.csv', '--as-of', '2026-11-01', '--format', format, '--quiet'];
    const plain = await here(args);
    const duckArgs = [...args, '--engine', 'duckdb'];
    const duck = where === 'as a child process' ? child(duckArgs) : await here(duckArgs);
    expect(plain.status).toBe(0);
    expect(duck.stderr).toBe('');
    expect(duck.status).toBe(0);
    expect(duck.stdout.length).toBeGreaterThan(1000);
    expect(duck.stdout).toBe(plain.stdout);
  }, 120_000);
  it('--in-place is refused with --engine duckdb (ARG_INVALID, exit 2)', async () => {
    const r = await here(['score', 'fixtures/purchased-list.csv', '--in-place', '--engine', 'duckdb']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--in-place needs the default engine');
    expect(r.stdout).toBe('');
  }, 120_000);
});
