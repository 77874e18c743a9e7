// Durable replacement of a file: the new content goes to a temp file next to the target, is
// written in full (short writes looped, ENOSPC thrown), fsynced and size-checked, and only then
// renamed over the target, whose directory is then fsynced. A failure at any step leaves the
// original untouched and no temp file behind; it never renames a partial file into place.
// Hand-written because write-file-atomic renames a truncated temp file over the target on a
// full disk (test/io/atomic-write.test.ts shows it on a 64 KiB tmpfs).
import { randomBytes } from 'node:crypto';
import { constants, unlinkSync, type Stats } from 'node:fs';
import { access, lstat, open, readdir, readlink, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { QualifyError, isQualifyError } from '../core/errors.js';
import { kindOf } from './path-identity.js';

export interface FileIdentity {
  mtimeMs: number;
  size: number;
  ino: number;
}

export interface WriteOptions {
  /** The target as it was when read: if it has changed since (Excel saved it), nothing is
   * written and CSV_CHANGED_ON_DISK is thrown. */
  expect?: FileIdentity;
  /** Mode of the new file; defaults to the existing file's mode, or 0o666 minus umask. */
  mode?: number;
  /** Aborting (e.g. a lost lock, see lock.ts) stops the write before the rename. */
  signal?: AbortSignal;
  /** Told the temp files of dead runs removed before writing (default: a note on stderr). */
  onStaleTemps?: (paths: string[]) => void;
  /** Tests: called at each step of a replacement (may be async), to lose a lock there. */
  onStep?: (step: ReplaceStep) => void | Promise<void>;
  /** Told each Buffer chunk once it is written (or copied into a block) and no longer held, so
   * that the producer can fill it again (ChunkBuilder.recycle). */
  release?: (chunk: Buffer) => void;
}

/** The steps of a locked replacement (locked-replace.ts), in order: the lock is held and the
 * file not read yet; the first chunk goes to the temp file; the temp file is complete; it is
 * fsynced; the target was found unchanged (the rename comes next). */
export type ReplaceStep = 'locked' | 'writing' | 'written' | 'synced' | 'checked';

export type FaultPoint = 'after-tmp-write' | 'after-fsync' | 'after-rename' | 'before-unlock';

/** Crash-test hook: when QUALIFY_FAULT names this point, the process SIGKILLs itself here, as
 * a power cut or `kill -9` would (the crash tests set it). */
export function faultPoint(name: FaultPoint): void {
  if (process.env.QUALIFY_FAULT === name) process.kill(process.pid, 'SIGKILL');
}

/** The identity of a file (following symlinks) for the changed-on-disk check. */
export async function identify(path: string): Promise<FileIdentity> {
  const s = await stat(path);
  return { mtimeMs: s.mtimeMs, size: s.size, ino: s.ino };
}

/** Writes are gathered into blocks of this size, so a stream of small row strings does not
 * become one system call per row, while memory stays bounded. */
const BLOCK = 1 << 16;

/**
 * Replaces `target` with `chunks` (strings are written as UTF-8; pass Buffers from encodeText
 * for other encodings). `chunks` may be an async iterable (a Readable): it is consumed as it
 * is written, never buffered whole. An error thrown by the iterable itself (a CSV error while
 * scoring) is re-thrown as it is, after the temp file is removed. File-system failures become
 * QualifyError('FILE_WRITE') naming the path and the cause.
 */
function reportStaleTemps(paths: string[]): void {
  process.stderr.write(`note: removed ${paths.length} temp file${paths.length > 1 ? 's' : ''} left by an interrupted qualify run: ${paths.join(', ')}\n`);
}

export async function writeFileAtomic(
  target: string,
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string> | Buffer | string,
  opts: WriteOptions = {},
): Promise<void> {
  // A device, FIFO or socket (or /dev/stdout) is written into, never renamed over: only a
  // regular file gets the temp-and-rename treatment.
  const named = await fsStep(target, 'inspect', () => statOrUndefined(target));
  const hops: string[] = [];
  const real = await fsStep(target, 'resolve', () => resolveLinks(target, hops));
  if (named && (!named.isFile() || hops.some(isFdLink))) return writeDirect(target, named, chunks, opts);
  const existing = await fsStep(target, 'inspect', () => statOrUndefined(real));
  // The rename would succeed in a writable directory, but the user cannot write this file:
  // refuse, as writing into it would (root can write it anyway).
  if (existing) await fsStep(target, 'replace', () => access(real, constants.W_OK));
  // The next run cleans what a killed one left (SIGKILL, power cut), and says so.
  const stale = await cleanupStaleTemps(target).catch(() => [] as string[]);
  if (stale.length > 0) (opts.onStaleTemps ?? reportStaleTemps)(stale);
  const tmp = tempPathFor(real);
  let handle: FileHandle | undefined;
  let renamed = false;
  try {
    const mode = opts.mode ?? (existing ? existing.mode & 0o7777 : undefined);
    handle = await fsStep(target, 'create a temp file for', () =>
      open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode === undefined ? 0o666 : 0o600),
    );
    liveTemps.add(tmp);
    installSignalCleanup();
    const written = await writeAll(handle, tmp, target, chunks, opts.signal, opts.onStep, opts.release);
    faultPoint('after-tmp-write');
    await opts.onStep?.('written');
    throwIfAborted(opts.signal, target);
    const fh = handle;
    await fsStep(target, 'flush', () => fh.sync());
    faultPoint('after-fsync');
    await opts.onStep?.('synced');
    throwIfAborted(opts.signal, target);
    const size = (await fsStep(target, 'check', () => fh.stat())).size;
    if (size !== written) {
      throw new QualifyError('FILE_WRITE', `could not write ${target}: the temp file has ${size} of ${written} bytes; the original file is unchanged`, {
        kind: 'file',
        file: target,
      });
    }
    if (mode !== undefined) await fsStep(target, 'set the mode of', () => fh.chmod(mode));
    if (existing && process.getuid?.() === 0 && (existing.uid !== 0 || existing.gid !== 0)) {
      await fh.chown(existing.uid, existing.gid).catch(() => undefined); // best effort, as write-file-atomic
    }
    await fsStep(target, 'close', () => fh.close());
    handle = undefined;

    if (opts.expect) await checkUnchanged(target, real, opts.expect);
    await opts.onStep?.('checked');
    throwIfAborted(opts.signal, target);
    await fsStep(target, 'replace', () => rename(tmp, real));
    renamed = true;
    liveTemps.delete(tmp);
    faultPoint('after-rename');
    await syncDirectory(dirname(real), target);
  } finally {
    if (handle) await handle.close().catch(() => undefined);
    if (!renamed) {
      await unlink(tmp).catch(() => undefined);
      liveTemps.delete(tmp);
    }
  }
}

/** Temp files being written now: a signal that ends the run removes them first. */
const liveTemps = new Set<string>();
/** Exit statuses of the signals that end a run, as a shell reports them (128 + number). */
const SIGNAL_STATUS: Readonly<Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
let signalCleanupInstalled = false;

/**
 * Installed once, at the first temp file: SIGINT, SIGTERM and SIGHUP remove every live temp
 * file, then end the process with 128 + the signal's number. Exiting runs proper-lockfile's exit
 * hook, which removes a held lock directory. Without the handlers Node would die at once and
 * leave a temp file as big as the output until the next run on the same target.
 */
function installSignalCleanup(): void {
  if (signalCleanupInstalled) return;
  signalCleanupInstalled = true;
  for (const [sig, status] of Object.entries(SIGNAL_STATUS)) {
    process.on(sig, () => {
      removeLiveTemps();
      process.stderr.write(`qualify: interrupted (${sig}); nothing was written, the target is unchanged\n`);
      process.exit(status);
    });
  }
}

/** Removes the temp files being written (synchronously: called from signal handlers). */
export function removeLiveTemps(): void {
  for (const tmp of liveTemps) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
  liveTemps.clear();
}

/** /dev/stdout, /dev/fd/N, /proc/self/fd/N: the file behind a descriptor, written directly. */
function isFdLink(p: string): boolean {
  return p.startsWith('/proc/') || p.startsWith('/dev/fd/') || p === '/dev/stdout' || p === '/dev/stderr';
}

/**
 * Writes into a target that is not a regular file (a device, a FIFO, a descriptor's file such as
 * /dev/stdout): opened for writing as it is, never created, replaced or truncated (the file
 * behind a descriptor is appended to, as the shell's `>` or `>>` left it).
 */
async function writeDirect(
  target: string,
  st: Stats,
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string> | Buffer | string,
  opts: WriteOptions,
): Promise<void> {
  if (st.isDirectory() || st.isSocket() || opts.expect) {
    const why = opts.expect ? `it is ${kindOf(st)}, not a regular file, so it cannot be updated in place` : `it is ${kindOf(st)}`;
    throw new QualifyError('FILE_WRITE', `could not write ${target}: ${why}; nothing was written`, { kind: 'file', file: target });
  }
  const flags = constants.O_WRONLY | (st.isFile() ? constants.O_APPEND : 0);
  const handle = await fsStep(target, 'open', () => open(target, flags));
  try {
    await writeAll(handle, target, target, chunks, opts.signal, undefined, opts.release);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function writeAll(
  handle: FileHandle,
  tmp: string,
  target: string,
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string> | Buffer | string,
  signal: AbortSignal | undefined,
  onStep?: WriteOptions['onStep'],
  release?: WriteOptions['release'],
): Promise<number> {
  let written = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const pieces = pending;
    const block = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, pendingBytes);
    pending = [];
    pendingBytes = 0;
    // Pieces copied into the block are free now; a block that is the one piece, once written.
    if (release && pieces.length > 1) for (const piece of pieces) release(piece);
    // A write may be short (the disk filled up part-way); loop until all is written, so the
    // next write raises ENOSPC instead of the loss going unnoticed.
    let offset = 0;
    while (offset < block.length) {
      const { bytesWritten } = await fsStep(target, 'write', () => handle.write(block, offset, block.length - offset));
      if (bytesWritten <= 0) {
        throw new QualifyError('FILE_WRITE', `could not write ${target}: disk full (no bytes written to ${basename(tmp)}); the original file is unchanged`, {
          kind: 'file',
          file: target,
        });
      }
      offset += bytesWritten;
      written += bytesWritten;
    }
    if (release && pieces.length === 1) release(block);
  };
  let first = true;
  const add = async (chunk: Buffer | string): Promise<void> => {
    if (first) {
      first = false;
      throwIfAborted(signal, target);
      await onStep?.('writing');
      throwIfAborted(signal, target);
    }
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (buf.length === 0) {
      if (buf === chunk) release?.(buf);
      return;
    }
    pending.push(buf);
    pendingBytes += buf.length;
    if (pendingBytes >= BLOCK) await flush();
  };
  if (typeof chunks === 'string' || Buffer.isBuffer(chunks)) {
    await add(chunks);
  } else if (Symbol.asyncIterator in chunks) {
    for await (const chunk of chunks) {
      throwIfAborted(signal, target);
      await add(chunk);
    }
  } else {
    for (const chunk of chunks) {
      throwIfAborted(signal, target);
      await add(chunk);
    }
  }
  await flush();
  return written;
}

async function checkUnchanged(target: string, real: string, expected: FileIdentity): Promise<void> {
  let now: FileIdentity | undefined;
  try {
    now = await identify(real);
  } catch {
    now = undefined;
  }
  if (!now || now.mtimeMs !== expected.mtimeMs || now.size !== expected.size || now.ino !== expected.ino) {
    throw new QualifyError(
      'CSV_CHANGED_ON_DISK',
      `${target} changed on disk since it was read (saved in Excel?); nothing was written`,
      { kind: 'file', file: target },
      { hint: 'close it in Excel (or wait for the other program) and run the command again' },
    );
  }
}

function throwIfAborted(signal: AbortSignal | undefined, target: string): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  if (isQualifyError(reason)) throw reason;
  throw new QualifyError('FILE_WRITE', `could not write ${target}: the write was aborted; the original file is unchanged`, { kind: 'file', file: target }, { cause: reason });
}

/** fsync of the directory makes the rename itself durable (ext4 can otherwise undo it after a
 * power cut). Not possible on Windows, and refused by some file systems: skipped there. */
async function syncDirectory(dir: string, target: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES') {
      throw new QualifyError('FILE_WRITE', `${target} was replaced, but its directory could not be flushed to disk (${code ?? String(e)})`, {
        kind: 'file',
        file: target,
      });
    }
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Follows symlinks (relative ones too) to the file that is really written, so the link stays
 * a link. A missing target (a new output file) is fine. */
async function resolveLinks(target: string, seen?: string[]): Promise<string> {
  let p = resolve(target);
  for (let hops = 0; hops < 40; hops++) {
    seen?.push(p);
    let s;
    try {
      s = await lstat(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return p;
      throw e;
    }
    if (!s.isSymbolicLink()) return p;
    p = resolve(dirname(p), await readlink(p));
  }
  throw Object.assign(new Error(`too many symbolic links: ${target}`), { code: 'ELOOP' });
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

const TEMP_INFIX = '.qualify-';

function tempPathFor(real: string): string {
  return join(dirname(real), `.${basename(real)}${TEMP_INFIX}${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Removes temp files that a killed run (SIGKILL, power cut) left next to `target`:
 * `.<base>.qualify-<pid>-<random>.tmp` whose pid is not a live process. Returns their paths;
 * temps of a live qualify process are left alone.
 */
export async function cleanupStaleTemps(target: string): Promise<string[]> {
  const real = await resolveLinks(target);
  const dir = dirname(real);
  const prefix = `.${basename(real)}${TEMP_INFIX}`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const m = /^(\d+)-[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length));
    if (!m || isAlive(Number(m[1]))) continue;
    const path = join(dir, name);
    try {
      await unlink(path);
      removed.push(path);
    } catch {
      // already gone (another run cleaned it) or not ours to remove
    }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'read-only (permission denied)',
  EPERM: 'read-only (operation not permitted)',
  EROFS: 'read-only file system',
  ENOENT: 'the directory does not exist',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  ELOOP: 'too many symbolic links',
  EBUSY: 'the file is in use by another program',
  EIO: 'input/output error',
};

/** Runs one file-system step; its errno error becomes FILE_WRITE naming the path and cause. */
async function fsStep<T>(target: string, step: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isQualifyError(e)) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const cause = (code && CAUSES[code]) ?? (e as Error).message;
    throw new QualifyError(
      'FILE_WRITE',
      `could not ${step} ${target}: ${cause}${code ? ` (${code})` : ''}; the original file is unchanged`,
      { kind: 'file', file: target },
      { cause: e, ...(code === 'ENOSPC' ? { hint: 'free some disk space and run the command again' } : {}) },
    );
  }
}
