// QUALIFY_THREADS_TRACE=1: one line on stderr saying how `qualify score` chose its threads and
// how many rows the worker scored (README, Performance), and nothing else changed.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SCORE = ['score', 'fixtures/purchased-list.csv', '--as-of', '2026-11-01', '-q'];
/** This process's environment without the settings under test, plus `extra`. */
const env = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const { FORCE_COLOR: _c, QUALIFY_THREADS_TRACE: _t, QUALIFY_WORKER: _w, ...rest } = process.env;
  return { ...rest, NO_COLOR: '1', ...extra };
};
const TRACE = /^qualify: threads: (.+); the worker scored ([\d,]+) of ([\d,]+) rows$/m;

describe('QUALIFY_THREADS_TRACE', () => {
  it('unset: no trace, and the same output as with it', async () => {
    const plain = await runInProcess(SCORE, env({}), root);
    const traced = await runInProcess(SCORE, env({ QUALIFY_THREADS_TRACE: '1' }), root);
    expect(plain.status).toBe(0);
    expect(plain.stderr.toString()).not.toMatch(/threads:/);
    expect(traced.status).toBe(0);
    expect(traced.stdout.equals(plain.stdout)).toBe(true);
  });

  it.each([
    ['a small file by default: one thread, the worker scored none', {}, 'small or streamed input', 'none'],
    ['QUALIFY_WORKER=0: one thread', { QUALIFY_WORKER: '0' }, 'QUALIFY_WORKER=0', 'none'],
    ['QUALIFY_WORKER=1: the worker scored every row of a one-batch file', { QUALIFY_WORKER: '1' }, 'QUALIFY_WORKER=1', 'all'],
  ] as const)('%s', async (_name, extra, why, share) => {
    const r = await runInProcess(SCORE, env({ QUALIFY_THREADS_TRACE: '1', ...extra }), root);
    expect(r.status).toBe(0);
    const m = TRACE.exec(r.stderr.toString());
    expect(m, r.stderr.toString()).not.toBeNull();
    expect(m![1]).toBe(why);
    const rows = Number(m![3]!.replace(/,/g, ''));
    expect(rows).toBeGreaterThan(10);
    expect(Number(m![2]!.replace(/,/g, ''))).toBe(share === 'all' ? rows : 0);
  });
});
