// Issue 10 item 9: SIGINT, SIGTERM or SIGHUP during `score --in-place` or `score -o FILE` on a big
// file removes the temp file (and the lock directory) before the process ends, with the status
// a shell gives (128 + the signal's number), before the write completes; the target is
// unchanged. Runs the built CLI (`node bin/qualify.js`, dist/ built by `npm run build`) on a
// generated ~20 MB file, signalled once its temp file has content.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(root, 'bin', 'qualify.js');
const base = mkdtempSync(join(tmpdir(), 'qualify-signals-'));
let big: Buffer;

beforeAll(() => {
  const lines = readFileSync(join(root, 'fixtures', 'purchased-list.csv'), 'utf8').split(/(?<=\n)/);
  const header = lines[0]!;
  const body = lines.slice(1).join('');
  const parts = [header];
  let size = header.length;
  while (size < 20_000_000) {
    parts.push(body);
    size += body.length;
  }
  big = Buffer.from(parts.join(''), 'utf8');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const STATUS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type Sig = keyof typeof STATUS;

let n = 0;
async function interrupt(sig: Sig, mode: 'in-place' | 'output'): Promise<{ dir: string; code: number | null; signal: string | null; stderr: string }> {
  const dir = join(base, `case-${++n}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'big.csv'), big);
  const args = [BIN, 'score', 'big.csv', '--as-of', '2026-11-01', '-q', ...(mode === 'in-place' ? ['--in-place'] : ['-o', 'out.csv'])];
  const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  // Wait until the temp file holds part of the output: the run is mid-write.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const tmp = readdirSync(dir).find((f) => f.includes('.qualify-') && f.endsWith('.tmp'));
    if (tmp !== undefined && statSync(join(dir, tmp), { throwIfNoEntry: false })?.size) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no temp file appeared (exit ${child.exitCode}): ${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill(sig);
  const { code, signal } = await exited;
  return { dir, code, signal, stderr };
}

describe('a signal during a big write removes the temp file (child runs bin/qualify.js)', () => {
  it.each<[Sig, 'in-place' | 'output']>([
    ['SIGINT', 'in-place'],
    ['SIGTERM', 'in-place'],
    ['SIGHUP', 'in-place'],
    ['SIGINT', 'output'],
    ['SIGTERM', 'output'],
    ['SIGHUP', 'output'],
  ])(
    '%s during score --%s: status 128+n before the write completes, no temp file, no lock, target unchanged',
    async (sig, mode) => {
      const r = await interrupt(sig, mode);
      expect({ code: r.code, signal: r.signal }).toEqual({ code: STATUS[sig], signal: null });
      // Status 128+n (not 0) shows the handler ended the run mid-write; no wall-clock bound, which a
      // loaded machine breaks.
      const left = readdirSync(r.dir);
      expect(left.filter((f) => f.includes('.qualify-'))).toEqual([]);
      expect(left.filter((f) => f.endsWith('.lock'))).toEqual([]);
      expect(readFileSync(join(r.dir, 'big.csv')).equals(big)).toBe(true);
      expect(existsSync(join(r.dir, 'out.csv'))).toBe(false);
      expect(r.stderr).toContain(`interrupted (${sig})`);
    },
    90_000,
  );
});
