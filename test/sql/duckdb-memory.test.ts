// score --engine duckdb runs DuckDB under a memory limit (duckdb-engine.ts): past it the work
// spills to disk, and a query that still runs out of memory runs once more under DuckDB's own
// limit before anything is written. A limit too small for even a 200-row file takes that path
// and must still write the default engine's bytes. (How much memory a run takes is measured by
// `npm run bench`, not here.)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/qualify.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
const ARGS = ['score', 'fixtures/purchased-list.csv', '--as-of', '2026-11-01', '--quiet'];

describe('score --engine duckdb under a memory limit', () => {
  it('a limit the query does not fit in (QUALIFY_DUCKDB_MEMORY_LIMIT=32MB): the same bytes as the default engine, exit 0', () => {
    const plain = cli(ARGS);
    const duck = cli([...ARGS, '--engine', 'duckdb'], { QUALIFY_DUCKDB_MEMORY_LIMIT: '32MB' });
    expect(plain.status).toBe(0);
    expect(duck.stderr).toBe('');
    expect(duck.status).toBe(0);
    expect(duck.stdout.length).toBeGreaterThan(1000);
    expect(duck.stdout).toBe(plain.stdout);
  }, 120_000);

  it('a limit that is not a size is bad usage (ARG_INVALID, exit 2), nothing on stdout', () => {
    const r = cli([...ARGS, '--engine', 'duckdb'], { QUALIFY_DUCKDB_MEMORY_LIMIT: 'lots' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('QUALIFY_DUCKDB_MEMORY_LIMIT must be a size such as 512MB or 2GB');
    expect(r.stderr).toContain('ARG_INVALID');
    expect(r.stdout).toBe('');
  }, 120_000);
});
