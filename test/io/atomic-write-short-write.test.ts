// Short writes and a full disk without root: node:fs/promises `open` is wrapped so that the temp
// file's handle writes fewer bytes than asked, then fails with ENOSPC (what write(2) does when
// the disk fills part-way), or lies about its size.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { QualifyError } from '../../src/core/errors.js';

interface Fault {
  /** Largest number of bytes one write call accepts. */
  maxPerWrite?: number;
  /** After this many bytes in total, writes fail with ENOSPC (or return 0 when `zero`). */
  capacity?: number;
  zero?: boolean;
  /** stat() of the temp file reports this many bytes fewer than were written. */
  statShortBy?: number;
}
const fault: { current: Fault | undefined; writeCalls: number } = { current: undefined, writeCalls: 0 };

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = async (path, flags, mode) => {
    const handle = await real.open(path, flags, mode);
    const f = fault.current;
    if (!f || !String(path).endsWith('.tmp')) return handle;
    let total = 0;
    return new Proxy(handle, {
      get(target, prop, receiver) {
        if (prop === 'write') {
          return async (buf: Buffer, offset: number, length: number) => {
            fault.writeCalls++;
            let len = Math.min(length, f.maxPerWrite ?? length);
            if (f.capacity !== undefined) {
              len = Math.min(len, f.capacity - total);
              if (len <= 0) {
                if (f.zero) return { bytesWritten: 0, buffer: buf };
                throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
              }
            }
            const r = await target.write(buf, offset, len);
            total += r.bytesWritten;
            return r;
          };
        }
        if (prop === 'stat' && f.statShortBy) {
          return async () => {
            const s = await target.stat();
            return Object.assign(s, { size: s.size - f.statShortBy! });
          };
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  };
  return { ...real, open, default: { ...real, open } };
});

const { writeFileAtomic, identify } = await import('../../src/io/atomic-write.js');

const root = mkdtempSync(join(tmpdir(), 'qualify-short-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  fault.current = undefined;
  fault.writeCalls = 0;
});

const ORIGINAL = Buffer.from('Email,Name\n' + 'a@x.io,A\n'.repeat(50));
const PAYLOAD = Buffer.alloc(200_000, 0x62);

function setup(name: string): string {
  const target = join(root, name);
  writeFileSync(target, ORIGINAL);
  return target;
}
const temps = (): string[] => readdirSync(root).filter((f) => f.endsWith('.tmp'));

describe('writeFileAtomic with injected short writes', () => {
  it('loops over short writes and writes everything', async () => {
    const target = setup('short.csv');
    fault.current = { maxPerWrite: 4096 + 7 };
    await writeFileAtomic(target, PAYLOAD, { expect: await identify(target) });
    expect(readFileSync(target).equals(PAYLOAD)).toBe(true);
    expect(fault.writeCalls).toBeGreaterThan(40);
  });

  const failures: [string, Fault, RegExp][] = [
    ['a short write then ENOSPC (the write-file-atomic data-loss case)', { maxPerWrite: 61_440, capacity: 61_440 }, /: disk full \(ENOSPC\); the original file is unchanged$/],
    ['ENOSPC on the very first write', { capacity: 0 }, /: disk full \(ENOSPC\); the original file is unchanged$/],
    ['a write that returns 0 bytes', { capacity: 10_000, zero: true }, /: disk full \(no bytes written to \.[^ ]+\.tmp\); the original file is unchanged$/],
    ['a temp file shorter than what was written', { statShortBy: 1 }, /: the temp file has 199999 of 200000 bytes; the original file is unchanged$/],
  ];
  it.each(failures)('%s: FILE_WRITE, original intact, temp removed', async (_name, f, message) => {
    const target = setup('fail.csv');
    fault.current = f;
    let error: unknown;
    try {
      await writeFileAtomic(target, PAYLOAD, { expect: await identify(target) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QualifyError);
    expect((error as QualifyError).code).toBe('FILE_WRITE');
    expect((error as QualifyError).message).toMatch(new RegExp(`^could not write ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect((error as QualifyError).message).toMatch(message);
    expect(readFileSync(target).equals(ORIGINAL)).toBe(true);
    expect(temps()).toEqual([]);
  });
});
