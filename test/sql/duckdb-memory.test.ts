// score --engine duckdb runs DuckDB under a memory limit (duckdb-engine.ts): past it the work
// spills to disk, and a query that still runs out of memory runs once more under DuckDB's own
// limit before anything is written. A limit too small for even a 200-row file takes that path
// and must still write the default engine's bytes. (How much memory a run takes is measured by
// `npm run bench`, not here.) The runs are the built CLI in this process (DuckDB loaded once for
// the file, test/helpers/in-process-cli.ts); fixtures-parity.test.ts runs the DuckDB engine as a
// child process.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process-cli.js';

const ROOT = join(import.meta.dirname, '../..');
const cli = async (args: string[], env: Record<string, string> = {}) => {
  const r = await runInProcess(args, { ...process.env, ...env }, ROOT);
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
};
const ARGS = ['score', 'fixtures/purchased-list.csv', '--as-of', '2026-11-01', '--quiet'];

describe('score --engine duckdb under a memory limit', () => {
  it('a limit the query does not fit in (QUALIFY_DUCKDB_MEMORY_LIMIT=32MB): the same bytes as the default engine, exit 0', async () => {
    const plain = await cli(ARGS);
    const duck = await cli([...ARGS, '--engine', 'duckdb'], { QUALIFY_DUCKDB_MEMORY_LIMIT: '32MB' });
    expect(plain.status).toBe(0);
    expect(duck.stderr).toBe('');
    expect(duck.status).toBe(0);
    expect(duck.stdout.length).toBeGreaterThan(1000);
    expect(duck.stdout).toBe(plain.stdout);
  }, 120_000);

  it('a limit that is not a size is bad usage (ARG_INVALID, exit 2), nothing on stdout', async () => {
    const r = await cli([...ARGS, '--engine', 'duckdb'], { QUALIFY_DUCKDB_MEMORY_LIMIT: 'lots' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('QUALIFY_DUCKDB_MEMORY_LIMIT must be a size such as 512MB or 2GB');
    expect(r.stderr).toContain('ARG_INVALID');
    expect(r.stdout).toBe('');
  }, 120_000);
});
