// The README's "Scoring in your warehouse" examples, run as written: the DuckDB query on the
// purchased list (the shell line's statements run through @duckdb/node-api, the same engine as
// the `duckdb` shell, which Debian does not package), `score
// --engine duckdb`, and the PostgreSQL lines with psql against a throwaway server. Each result
// must be what `qualify score --no-sanitize` writes, row for row. The README's lines run as
// written, in bash; the reference outputs they are compared with are the built CLI run in this
// process (test/helpers/in-process-cli.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process-cli.js';
import { usePostgres } from './engines.js';

const ROOT = join(import.meta.dirname, '../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Scoring in your warehouse'), readme.indexOf('\n## ', readme.indexOf('## Scoring in your warehouse') + 5));
const blocks = [...section.matchAll(/```shell\n([\s\S]*?)```/g)].map((m) => m[1]!.trim().split('\n'));
const qualify = `"${process.execPath}" "${join(ROOT, 'bin', 'qualify.js')}"`;

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qualify-warehouse-'));
  for (const d of ['fixtures', 'rules']) if (!existsSync(join(dir, d))) symlinkSync(join(ROOT, d), join(dir, d));
  return dir;
}
function sh(line: string, cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', line.replace(/\bnpx qualify\b/g, qualify)], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  expect(r.status, `${line}\n${r.stderr}`).toBe(0);
  return r;
}
/** What `qualify score ARGS` writes in `cwd`, run in this process. */
async function reference(args: string[], cwd: string): Promise<string> {
  const r = await runInProcess(['score', 'fixtures/purchased-list.csv', '--as-of', '2026-11-01', '--quiet', ...args], { ...process.env, NO_COLOR: '1' }, cwd);
  expect(r.status, r.stderr.toString('utf8')).toBe(0);
  return r.stdout.toString('utf8');
}
/** What `qualify score --no-sanitize` writes for the purchased list, parsed. */
async function expected(cwd: string): Promise<string[][]> {
  return parse(await reference(['--no-sanitize'], cwd)) as string[][];
}

const server = usePostgres();

describe('README: Scoring in your warehouse', () => {
  it('has a DuckDB and a PostgreSQL example', () => {
    expect(blocks.length).toBe(2);
    expect(blocks[0]![1]).toMatch(/^duckdb -c "/);
    expect(blocks[1]!.filter((l) => l.startsWith('psql ')).length).toBe(3);
  });

  it('DuckDB: the printed query on the CSV loaded as text gives the CLI\'s rows; score --engine duckdb writes the same file', async () => {
    const dir = scratch();
    const [compile, shell, engine] = blocks[0]!;
    sh(compile!, dir);
    const arg = /^duckdb -c "(.*)"$/.exec(shell!)![1]!;
    const [create, read] = arg.split(/;\s*(?=\.read )/);
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run(create!.replace("'fixtures/", `'${dir}/fixtures/`));
    const result = await db.runAndReadAll(readFileSync(join(dir, read!.replace('.read ', '').trim()), 'utf8'));
    const rows = (result.getRows() as unknown[][]).map((r) => r.map((v) => (v === null ? '' : String(v))));
    const want = await expected(dir);
    expect([result.columnNames(), ...rows]).toEqual(want);
    sh(engine!, dir);
    const plain = await reference([], dir);
    expect(readFileSync(join(dir, 'scored.csv'), 'utf8')).toBe(plain);
  }, 120_000);

  it('PostgreSQL: the four lines, as written, give the CLI\'s rows in scored.csv', async () => {
    const pg = server();
    const dir = scratch();
    const env = { ...pg.env, PATH: `${pg.bin}:${process.env['PATH']}` };
    for (const line of blocks[1]!) sh(line, dir, env);
    expect(parse(readFileSync(join(dir, 'scored.csv'), 'utf8'))).toEqual(await expected(dir));
  }, 120_000);
});
