import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, lstatSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QualifyError } from '../../src/core/errors.js';
import { cleanupStaleTemps, identify, writeFileAtomic, type FileIdentity } from '../../src/io/atomic-write.js';
import { assertFreshBuild, helpersDir } from './helpers/dist-check.js';
import { rejection } from './helpers/rejection.js';

const root = mkdtempSync(join(tmpdir(), 'qualify-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => {
  const d = join(root, `case-${++n}`);
  mkdirSync(d);
  return d;
};
const temps = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));


describe('writeFileAtomic: content', () => {
  const big = 'x'.repeat(200_000) + '\n';
  const sources: [string, () => Parameters<typeof writeFileAtomic>[1], string][] = [
    ['a string (UTF-8)', () => 'Email,Name\nzoë@x.io,Zoë\n', 'Email,Name\nzoë@x.io,Zoë\n'],
    ['a Buffer', () => Buffer.from('a,b\r\n'), 'a,b\r\n'],
    ['an array of chunks', () => ['a,', Buffer.from('b\n'), ''], 'a,b\n'],
    ['an async generator of many small rows', () => (async function* () { for (let i = 0; i < 5000; i++) yield `row ${i}\n`; })(), Array.from({ length: 5000 }, (_, i) => `row ${i}\n`).join('')],
    ['a Readable stream bigger than one block', () => Readable.from([big, big]), big + big],
    ['nothing (empty file)', () => [], ''],
  ];
  it.each(sources)('writes %s to a new file and over an existing one', async (_name, source, expected) => {
    const dir = freshDir();
    const target = join(dir, 'out.csv');
    await writeFileAtomic(target, source());
    expect(readFileSync(target, 'utf8')).toBe(expected);
    await writeFileAtomic(target, source(), { expect: await identify(target) });
    expect(readFileSync(target, 'utf8')).toBe(expected);
    expect(temps(dir)).toEqual([]);
  });

  it('keeps the mode of the file it replaces', async () => {
    const dir = freshDir();
    const target = join(dir, 'leads.csv');
    writeFileSync(target, 'old\n');
    chmodSync(target, 0o640);
    await writeFileAtomic(target, 'new\n');
    expect(statSync(target).mode & 0o777).toBe(0o640);
  });

  it('uses opts.mode when given', async () => {
    const target = join(freshDir(), 'leads.csv');
    await writeFileAtomic(target, 'new\n', { mode: 0o600 });
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('writes through a symlink to the real file and keeps the link', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'real.csv'), 'old\n');
    symlinkSync('data/real.csv', join(dir, 'link.csv'));
    await writeFileAtomic(join(dir, 'link.csv'), 'new\n', { expect: await identify(join(dir, 'link.csv')) });
    expect(lstatSync(join(dir, 'link.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'data', 'real.csv'), 'utf8')).toBe('new\n');
    expect(temps(join(dir, 'data'))).toEqual([]);
  });
});

describe('writeFileAtomic: refusals leave the original intact', () => {
  const changes: [string, (target: string) => void][] = [
    ['the size changed (Excel saved it)', (t) => writeFileSync(t, 'old\nsaved by excel\n')],
    ['only the mtime changed', (t) => utimesSync(t, new Date(), new Date(Date.now() + 5000))],
    ['the file was replaced (new inode, same size and mtime)', (t) => {
      const s = statSync(t);
      writeFileSync(`${t}.other`, 'OLD\n');
      utimesSync(`${t}.other`, s.atime, s.mtime);
      renameSync(`${t}.other`, t);
    }],
    ['the file was deleted', (t) => rmSync(t)],
  ];
  it.each(changes)('CSV_CHANGED_ON_DISK when %s', async (_name, change) => {
    const dir = freshDir();
    const target = join(dir, 'leads.csv');
    writeFileSync(target, 'old\n');
    const seen: FileIdentity = await identify(target);
    change(target);
    const after = existsSync(target) ? readFileSync(target) : undefined;
    const e = await rejection(writeFileAtomic(target, 'ours\n', { expect: seen }));
    expect(e.code).toBe('CSV_CHANGED_ON_DISK');
    expect(e.message).toBe(`${target} changed on disk since it was read (saved in Excel?); nothing was written`);
    expect(existsSync(target) ? readFileSync(target) : undefined).toEqual(after);
    expect(temps(dir)).toEqual([]);
  });

  it('re-throws an error of the source itself (not FILE_WRITE) and removes the temp file', async () => {
    const dir = freshDir();
    const target = join(dir, 'leads.csv');
    writeFileSync(target, 'old\n');
    const failing = (async function* () {
      yield 'a'.repeat(100_000);
      throw new QualifyError('CSV_BAD_RECORD', 'record 3 is broken');
    })();
    const e = await rejection(writeFileAtomic(target, failing));
    expect(e.code).toBe('CSV_BAD_RECORD');
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    expect(temps(dir)).toEqual([]);
  });

  it('FILE_WRITE naming the path when the directory does not exist', async () => {
    const target = join(root, 'no-such-dir', 'out.csv');
    const e = await rejection(writeFileAtomic(target, 'x'));
    expect(e.code).toBe('FILE_WRITE');
    expect(e.message).toBe(`could not create a temp file for ${target}: the directory does not exist (ENOENT); the original file is unchanged`);
  });

  it('stops before the rename when the signal is aborted (lost lock)', async () => {
    const dir = freshDir();
    const target = join(dir, 'leads.csv');
    writeFileSync(target, 'old\n');
    const ac = new AbortController();
    ac.abort(new QualifyError('FILE_LOCKED', 'lost the lock'));
    const e = await rejection(writeFileAtomic(target, 'new\n', { signal: ac.signal }));
    expect(e.code).toBe('FILE_LOCKED');
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    expect(temps(dir)).toEqual([]);
  });
});

describe('cleanupStaleTemps', () => {
  it('removes temps of dead processes only, and only for this target', async () => {
    const dir = freshDir();
    const target = join(dir, 'leads.csv');
    writeFileSync(target, 'x');
    const child = spawn(process.execPath, ['-e', '0']);
    await once(child, 'exit');
    const dead = `.leads.csv.qualify-${child.pid}-abc123.tmp`;
    const live = `.leads.csv.qualify-${process.pid}-def456.tmp`;
    const other = `.other.csv.qualify-${child.pid}-abc123.tmp`;
    for (const f of [dead, live, other, 'leads.csv.bak']) writeFileSync(join(dir, f), 'partial');
    expect(await cleanupStaleTemps(target)).toEqual([join(dir, dead)]);
    expect(readdirSync(dir).sort()).toEqual([live, other, 'leads.csv', 'leads.csv.bak'].sort());
  });

  it('returns nothing when the directory does not exist', async () => {
    expect(await cleanupStaleTemps(join(root, 'nope', 'x.csv'))).toEqual([]);
  });
});

describe('crash safety (SIGKILL at each fault point; child runs dist/io/atomic-write.js)', () => {
  beforeAll(() => assertFreshBuild(['atomic-write']));

  const OLD = Buffer.from('Email,Score\n' + 'old@x.io,1\n'.repeat(20_000));
  const NEW = Buffer.from('Email,Score\n' + 'new@x.io,99\n'.repeat(400_000));

  async function runChild(target: string, fault: string | undefined): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
    const source = `${target}.new-content`;
    writeFileSync(source, NEW);
    const env = { ...process.env };
    delete env.QUALIFY_FAULT;
    if (fault) env.QUALIFY_FAULT = fault;
    const child = spawn(process.execPath, [join(helpersDir, 'write-child.mjs'), target, source], { env });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    rmSync(source);
    if (code !== null && code !== 0) throw new Error(`child failed: ${stderr}`);
    return { code, signal, stdout };
  }

  const points: [string, 'OLD' | 'NEW', number][] = [
    ['after-tmp-write', 'OLD', 1],
    ['after-fsync', 'OLD', 1],
    ['after-rename', 'NEW', 0],
  ];
  it.each(points)('killed %s: the file is %s byte-for-byte, and the next run cleans %i temp file', async (fault, expected, leftover) => {
    const dir = freshDir();
    const target = join(dir, 'leads.csv');
    writeFileSync(target, OLD);
    const run = await runChild(target, fault);
    expect(run.signal).toBe('SIGKILL');
    expect(run.stdout).toBe('');
    expect(readFileSync(target).equals(expected === 'OLD' ? OLD : NEW)).toBe(true);
    const removed = await cleanupStaleTemps(target);
    expect(removed).toHaveLength(leftover);
    expect(temps(dir)).toEqual([]);
  });

  it('without a fault the child completes and writes NEW', async () => {
    const dir = freshDir();
    const target = join(dir, 'leads.csv');
    writeFileSync(target, OLD);
    const run = await runChild(target, undefined);
    expect(run).toMatchObject({ code: 0, stdout: 'done\n' });
    expect(readFileSync(target).equals(NEW)).toBe(true);
  });

  it('random SIGKILLs during a write always leave OLD or NEW, never a mix', async () => {
    const dir = freshDir();
    const target = join(dir, 'leads.csv');
    const source = join(dir, 'new-content');
    writeFileSync(source, NEW);
    const outcomes = { OLD: 0, NEW: 0 };
    for (let i = 0; i < 12; i++) {
      writeFileSync(target, OLD);
      const child = spawn(process.execPath, [join(helpersDir, 'write-child.mjs'), target, source], { stdio: 'ignore' });
      await once(child, 'spawn');
      setTimeout(() => child.kill('SIGKILL'), 30 + Math.random() * 120);
      await once(child, 'exit');
      const now = readFileSync(target);
      const which = now.equals(OLD) ? 'OLD' : now.equals(NEW) ? 'NEW' : 'CORRUPT';
      expect(which).not.toBe('CORRUPT');
      outcomes[which as 'OLD' | 'NEW']++;
      await cleanupStaleTemps(target);
      expect(temps(dir)).toEqual([]);
    }
    expect(outcomes.OLD + outcomes.NEW).toBe(12);
  });
});

// A real full disk: a 64 KiB tmpfs (needs root / CAP_SYS_ADMIN). On it, write-file-atomic
// renames a 61,440-byte truncated temp file over the original here.
function tryMount(dir: string, options: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return `mount -t tmpfs is not permitted here (${String((e as Error).message).split('\n')[0]})`;
  }
}
const smallDisk = join(root, 'small-disk');
mkdirSync(smallDisk);
const mountProblem = tryMount(smallDisk, 'size=64k');

describe.skipIf(mountProblem !== undefined)(`full disk on a 64 KiB tmpfs${mountProblem ? ` (skipped: ${mountProblem})` : ''}`, () => {
  afterAll(() => {
    execFileSync('umount', [smallDisk]);
  });

  const payloads: [string, () => Parameters<typeof writeFileAtomic>[1]][] = [
    ['one 85 KB buffer', () => Buffer.alloc(85_000, 0x61)],
    ['a stream of small rows', () => (async function* () { for (let i = 0; i < 10_000; i++) yield `row ${i},some text\n`; })()],
  ];
  it.each(payloads)('ENOSPC writing %s: FILE_WRITE "disk full", original intact, no temp left', async (_name, payload) => {
    const target = join(smallDisk, 'leads.csv');
    const original = Buffer.from('Email,Name\n' + 'a@x.io,A\n'.repeat(100));
    writeFileSync(target, original);
    const e = await rejection(writeFileAtomic(target, payload(), { expect: await identify(target) }));
    expect(e.code).toBe('FILE_WRITE');
    expect(e.message).toMatch(new RegExp(`^could not write ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: disk full \\(ENOSPC\\); the original file is unchanged$`));
    expect(e.hint).toBe('free some disk space and run the command again');
    expect(readFileSync(target).equals(original)).toBe(true);
    expect(temps(smallDisk)).toEqual([]);
  });

  it('a write that fits still succeeds', async () => {
    const target = join(smallDisk, 'small.csv');
    await writeFileAtomic(target, 'a,b\n');
    expect(readFileSync(target, 'utf8')).toBe('a,b\n');
    rmSync(target);
  });
});

const readOnlyDisk = join(root, 'ro-disk');
mkdirSync(readOnlyDisk);
const roProblem = mountProblem ?? tryMount(readOnlyDisk, 'size=64k,ro');

describe.skipIf(roProblem !== undefined)(`read-only file system${roProblem ? ` (skipped: ${roProblem})` : ''}`, () => {
  afterAll(() => {
    execFileSync('umount', [readOnlyDisk]);
  });

  it('FILE_WRITE "read-only file system" naming the path', async () => {
    const target = join(readOnlyDisk, 'leads.csv');
    const e = await rejection(writeFileAtomic(target, 'x'));
    expect(e.code).toBe('FILE_WRITE');
    expect(e.message).toBe(`could not create a temp file for ${target}: read-only file system (EROFS); the original file is unchanged`);
  });
});
