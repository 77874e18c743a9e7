// The three engines the SQL tests compare, in-process: the default scorer (core/scoring), the
// compiled SQL on embedded DuckDB, and the compiled SQL on a throwaway PostgreSQL server started
// from Debian's package on a temp dir and a Unix socket (test/sql/install-postgres.sh installs
// it when missing). Each returns, per row, the score columns as the CSV writes them.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll } from 'vitest';
import type { CompiledRules } from '../../src/core/rules/compiled.js';
import { createScorer, formatReasons } from '../../src/core/scoring/engine.js';
import { compileSql } from '../../src/sql/compile.js';
import { duckdb } from '../../src/sql/dialects/duckdb.js';
import { postgres } from '../../src/sql/dialects/postgres.js';
import { postgresString } from '../../src/sql/dialect.js';

/** One row's score columns: fit, engagement, score, tier, grade, stage, class, action, reasons. */
export type ScoreCells = string[];

export function scoreWithCli(rules: CompiledRules, header: string[], rows: string[][], asOfDay: number): ScoreCells[] {
  const scorer = createScorer(rules, header, { asOfDay, file: 'test.csv' });
  return rows.map((row, i) => {
    const s = scorer.score(row, i + 1);
    return [String(s.fit), String(s.engagement), String(s.score), s.tier, s.grade ?? '', s.stage, s.class, s.action, formatReasons(s.reasons)];
  });
}

/** The score columns of each output row of a compiled SELECT (values as text). */
function scoreCellsOf(rules: CompiledRules, header: string[], outRows: unknown[][]): ScoreCells[] {
  const { binding } = compileSql(rules, header, duckdb, { table: 't', asOfDay: 0, orderBy: 'x' });
  const at = (name: string) => {
    const j = binding.scoreNames.indexOf(binding.prefix + name);
    return j < 0 ? -1 : binding.scoreAt[j]!;
  };
  const cols = ['fit', 'engagement', 'score', 'tier', 'grade', 'stage', 'class', 'action', 'reasons'].map(at);
  return outRows.map((r) => cols.map((c) => (c < 0 ? '' : r[c] === null || r[c] === undefined ? '' : String(r[c]))));
}

type Duck = Awaited<ReturnType<Awaited<ReturnType<typeof import('@duckdb/node-api').DuckDBInstance.create>>['connect']>>;
let duck: Duck | null = null;

/** `engineForm`: the SQL `score --engine duckdb` runs (record numbers from rowid, duplicates by a
 * GROUP BY joined back) instead of the one `rules sql` prints (a window over the row order). */
export async function scoreWithDuckDb(rules: CompiledRules, header: string[], rows: string[][], asOfDay: number, engineForm = false): Promise<ScoreCells[]> {
  if (duck === null) {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    duck = await (await DuckDBInstance.create(':memory:')).connect();
  }
  await duck.run('DROP TABLE IF EXISTS leads');
  await duck.run(`CREATE TABLE leads (${header.map((h) => `${duckdb.ident(h)} VARCHAR`).join(', ')})`);
  const appender = await duck.createAppender('leads');
  for (const row of rows) {
    for (const cell of row) appender.appendVarchar(cell);
    appender.endRow();
  }
  appender.closeSync();
  const { sql } = compileSql(rules, header, duckdb, engineForm ? { table: 'leads', asOfDay, recordColumn: '(rowid + 1)', firstRowByJoin: true } : { table: 'leads', asOfDay });
  const result = await duck.runAndReadAll(sql);
  return scoreCellsOf(rules, header, result.getRows() as unknown[][]);
}

export interface Postgres {
  /** libpq's environment for psql run by hand: PGHOST (the socket directory), PGPORT, PGUSER, PGDATABASE. */
  env: Record<string, string>;
  /** Directory of the server's programs (psql among them). */
  bin: string;
  query(sql: string): string[][];
  stop(): void;
}

/** Starts a throwaway PostgreSQL server, or says why it cannot (then the caller skips). */
export function startPostgres(): Postgres | string {
  const found = spawnSync('sh', [join(import.meta.dirname, 'install-postgres.sh')], { encoding: 'utf8' });
  if (found.status !== 0) return `PostgreSQL could not be installed: ${found.stderr.trim().split('\n').pop()}`;
  const bin = found.stdout.trim().split('\n').pop()!;
  const dir = mkdtempSync(join(tmpdir(), 'qualify-pg-'));
  chmodSync(dir, 0o755);
  // initdb refuses root: the server runs as the postgres user (or nobody) when the tests run as root.
  const asUser: string[] = [];
  if (process.getuid?.() === 0) {
    const user = spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'nobody';
    const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
    asUser.push('setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups');
  }
  const run = (cmd: string, args: string[]) => {
    const full = [...asUser, join(bin, cmd), ...args];
    const r = spawnSync(full[0]!, full.slice(1), { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'qualify', '-A', 'trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = String(20000 + (process.pid % 20000));
  run('pg_ctl', ['-D', data, '-w', '-t', '60', '-l', join(dir, 'log'), '-o', `-k ${dir} -c listen_addresses='' -p ${port} -c fsync=off`, 'start']);
  const psql = join(bin, 'psql');
  return {
    env: { PGHOST: dir, PGPORT: port, PGUSER: 'qualify', PGDATABASE: 'postgres' },
    bin,
    query(sql) {
      const file = join(dir, 'q.sql');
      writeFileSync(file, sql);
      chmodSync(file, 0o644);
      const r = spawnSync(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--csv', '-h', dir, '-p', port, '-U', 'qualify', '-d', 'postgres', '-f', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
      return r.stdout.trim() === '' ? [] : (parse(r.stdout, { relax_column_count: true }) as string[][]);
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Loads rows into a fresh table `leads` (every column text, in file order) and scores them. */
export function scoreWithPostgres(pg: Postgres, rules: CompiledRules, header: string[], rows: string[][], asOfDay: number): ScoreCells[] {
  const { sql } = compileSql(rules, header, postgres, { table: 'leads', asOfDay });
  const load = [
    'DROP TABLE IF EXISTS leads;',
    `CREATE TABLE leads (${header.map((h) => `${postgres.ident(h)} text`).join(', ')});`,
    ...(rows.length ? [`INSERT INTO leads VALUES ${rows.map((r) => `(${r.map(postgresString).join(', ')})`).join(',\n')};`] : []),
  ].join('\n');
  const out = pg.query(`${load}\n${sql.trimEnd()};\n`);
  return scoreCellsOf(rules, header, out.slice(1));
}

/** A throwaway PostgreSQL server for the tests of a file (call at its top level): started before
 * the first test, stopped after the last. The getter gives the server, or fails the test with why
 * it could not start. */
export function usePostgres(): () => Postgres {
  let pg: Postgres | string = 'not started';
  beforeAll(() => {
    pg = startPostgres();
  }, 120_000);
  afterAll(() => {
    if (typeof pg !== 'string') pg.stop();
  });
  return () => {
    if (typeof pg === 'string') throw new Error(pg);
    return pg;
  };
}
