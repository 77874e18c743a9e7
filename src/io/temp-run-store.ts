// The duplicate index's overflow (core/scoring/dedup-index.ts) as an append-only temp file: past
// a million keys the index hands its table over here as a sorted run and reads one block back
// when a Bloom filter cannot rule a key out. The file is made only when first needed, in the
// system's temp directory (TMPDIR), and unlinked as soon as it is open where the system allows
// it (POSIX): nothing is left behind even if the process is killed. Elsewhere it is removed
// when the run closes the store, or at exit.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DedupRunStore } from '../core/scoring/dedup-index.js';
import { QualifyError } from '../core/errors.js';

export interface TempRunStore {
  /** Opens the file the first time (the index calls it when its table first fills). */
  open: () => DedupRunStore;
  /** Closes and removes the file, if it was made. */
  close: () => void;
  /** Bytes written so far (for tests and diagnostics). */
  readonly size: number;
}

export function createTempRunStore(dir: string = tmpdir()): TempRunStore {
  let fd: number | null = null;
  let size = 0;
  let leftover: string | null = null;
  const removeLeftover = () => {
    if (leftover !== null) rmSync(leftover, { recursive: true, force: true });
    leftover = null;
  };
  const fail = (what: string, e: unknown): never => {
    // What to do depends on why: a directory this user may not write to, or one that is full.
    const code = (e as NodeJS.ErrnoException).code;
    const denied = code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
    const missing = code === 'ENOENT' || code === 'ENOTDIR';
    const want = denied ? 'a directory you may write to' : missing ? 'a directory that exists' : 'a directory with room';
    throw new QualifyError('FILE_WRITE', `could not ${what} the duplicate index's overflow file in ${dir} (${(e as Error).message}); set TMPDIR to ${want} (about 12 bytes a lead past the first million)`, { kind: 'file', file: dir });
  };
  const store: DedupRunStore = {
    append(bytes) {
      const at = size;
      try {
        let done = 0;
        while (done < bytes.length) {
          const n = writeSync(fd!, bytes, done, bytes.length - done, at + done);
          // A write of nothing would loop for ever: a full disk, in the words ENOSPC uses.
          if (n <= 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
          done += n;
        }
      } catch (e) {
        fail('write', e);
      }
      size += bytes.length;
      return at;
    },
    read(offset, into, length) {
      let got = 0;
      while (got < length) {
        const n = readSync(fd!, into, got, length - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      return got;
    },
  };
  return {
    open() {
      if (fd !== null) return store;
      let path: string;
      try {
        const tmp = mkdtempSync(join(dir, 'qualify-dedup-'));
        path = join(tmp, 'runs');
        fd = openSync(path, 'w+', 0o600);
        try {
          unlinkSync(path);
          rmSync(tmp, { recursive: true, force: true });
        } catch {
          // Windows: an open file cannot be removed; removed at close or exit.
          leftover = tmp;
          process.once('exit', removeLeftover);
        }
      } catch (e) {
        return fail('create', e);
      }
      return store;
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
      removeLeftover();
    },
    get size() {
      return size;
    },
  };
}
