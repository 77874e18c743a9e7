import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QualifyError } from '../../src/core/errors.js';
import { identify, writeFileAtomic } from '../../src/io/atomic-write.js';
import { withFileLock } from '../../src/io/lock.js';
import { assertFreshBuild, helpersDir } from './helpers/dist-check.js';
import { rejection } from './helpers/rejection.js';

const root = mkdtempSync(join(tmpdir(), 'qualify-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => {
  const d = join(root, `case-${++n}`);
  mkdirSync(d);
  return d;
};


function runLockChild(file: string, id: string, count: number, env: Record<string, string> = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env.QUALIFY_FAULT) delete childEnv.QUALIFY_FAULT;
  const child = spawn(process.execPath, [join(helpersDir, 'lock-child.mjs'), file, id, String(count)], { env: childEnv });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null, out }));
}

describe('withFileLock in one process', () => {
  it('works for a file that does not exist yet and removes its lock afterwards', async () => {
    const file = join(freshDir(), 'new.csv');
    const result = await withFileLock(file, async () => {
      expect(existsSync(`${file}.lock`)).toBe(true);
      await writeFileAtomic(file, 'a\n');
      return 42;
    });
    expect(result).toBe(42);
    expect(readFileSync(file, 'utf8')).toBe('a\n');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('releases the lock when fn throws, and passes the error on', async () => {
    const file = join(freshDir(), 'x.csv');
    const boom = new QualifyError('CSV_BAD_RECORD', 'bad row');
    await expect(withFileLock(file, async () => { throw boom; })).rejects.toBe(boom);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('FILE_LOCKED after waitMs while another holder keeps it', async () => {
    const file = join(freshDir(), 'held.csv');
    await withFileLock(file, async () => {
      const t0 = Date.now();
      const e = await rejection(withFileLock(file, async () => 'never', { waitMs: 400 }));
      expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
      expect(e.code).toBe('FILE_LOCKED');
      expect(e.message).toBe(`${file} is being written by another qualify process (lock ${file}.lock); try again shortly`);
    });
  });

  it('a waiter gets the lock once the holder releases it', async () => {
    const file = join(freshDir(), 'queue.csv');
    const order: string[] = [];
    let waiter: Promise<void> | undefined;
    await withFileLock(file, async () => {
      waiter = withFileLock(file, async () => void order.push('second'), { waitMs: 5000 });
      await new Promise((r) => setTimeout(r, 200));
      order.push('first');
    });
    await waiter;
    expect(order).toEqual(['first', 'second']);
  });

  it('a lost lock aborts the write instead of crashing the process', async () => {
    const dir = freshDir();
    const file = join(dir, 'leads.csv');
    writeFileSync(file, 'old\n');
    const e = await rejection(
      withFileLock(
        file,
        async (signal) => {
          const seen = await identify(file);
          rmdirSync(`${file}.lock`); // someone (or a stale-lock sweep) took it away
          await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
          await writeFileAtomic(file, 'new\n', { expect: seen, signal });
        },
        { staleMs: 2000 },
      ),
    );
    expect(e.code).toBe('FILE_LOCKED');
    expect(e.message).toMatch(/^lost the lock on .*leads\.csv \(.*leads\.csv\.lock\) while writing: .*; nothing was written$/);
    expect(readFileSync(file, 'utf8')).toBe('old\n');
  });
});

describe('withFileLock across processes (children run dist/io/*.js)', () => {
  beforeAll(() => assertFreshBuild(['atomic-write', 'lock']));

  it('two processes appending 20 lines each under the lock lose no update', async () => {
    const file = join(freshDir(), 'shared.csv');
    writeFileSync(file, 'header\n');
    const [a, b] = await Promise.all([runLockChild(file, 'A', 20), runLockChild(file, 'B', 20)]);
    expect(a).toMatchObject({ code: 0, out: 'done\n' });
    expect(b).toMatchObject({ code: 0, out: 'done\n' });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('header');
    expect(lines).toHaveLength(41);
    for (const id of ['A', 'B']) {
      expect(lines.filter((l) => l.startsWith(`${id} `))).toEqual(Array.from({ length: 20 }, (_, i) => `${id} ${i}`));
    }
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('a lock left by a run killed before unlock is recovered once stale, never a deadlock', async () => {
    const file = join(freshDir(), 'killed.csv');
    writeFileSync(file, 'header\n');
    const killed = await runLockChild(file, 'K', 1, { QUALIFY_FAULT: 'before-unlock', LOCK_STALE_MS: '2000' });
    expect(killed.signal).toBe('SIGKILL');
    expect(readFileSync(file, 'utf8')).toBe('header\nK 0\n'); // its write completed before the kill
    expect(existsSync(`${file}.lock`)).toBe(true);

    const t0 = Date.now();
    const survivor = await runLockChild(file, 'S', 1, { LOCK_STALE_MS: '2000' });
    expect(survivor).toMatchObject({ code: 0, out: 'done\n' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000); // it had to wait for staleness
    expect(readFileSync(file, 'utf8')).toBe('header\nK 0\nS 0\n');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
