// Cross-process lock around a read-modify-write of one file (proper-lockfile's atomic
// `mkdir <file>.lock`), so two qualify runs writing the same CSV lose no update. Waits with
// backoff, then fails with FILE_LOCKED; recovers a stale lock left by a killed run; a lock lost
// while working aborts the write (via the AbortSignal given to `fn`) instead of crashing.
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { QualifyError, isQualifyError } from '../core/errors.js';
import { faultPoint } from './atomic-write.js';

export interface LockOptions {
  /** How long to wait for another process's lock before FILE_LOCKED. Default 12 s: a lock left
   * by a killed run goes stale within `staleMs` (its mtime is refreshed every staleMs/2 while
   * held), so the default wait outlasts it. */
  waitMs?: number;
  /** A lock not refreshed for this long is taken over. Default 10 s; proper-lockfile clamps it
   * to at least 2 s. */
  staleMs?: number;
}

/**
 * Runs `fn` while holding `<target>.lock` (the target need not exist yet). `fn` receives an
 * AbortSignal that fires if the lock is compromised (its directory removed or not refreshable);
 * pass it to writeFileAtomic so no rename happens without the lock. If the lock was lost,
 * withFileLock throws FILE_LOCKED even when `fn` succeeded.
 */
export async function withFileLock<T>(target: string, fn: (signal: AbortSignal) => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const waitMs = opts.waitMs ?? 12_000;
  const staleMs = opts.staleMs ?? 10_000;
  const file = await lockPath(target);
  const lockDir = `${target}.lock`;
  const lost = new AbortController();

  const release = await acquire(file, target, lockDir, waitMs, staleMs, (err) => {
    lost.abort(
      new QualifyError(
        'FILE_LOCKED',
        `lost the lock on ${target} (${lockDir}) while writing: ${err.message}; nothing was written`,
        { kind: 'file', file: target },
        { cause: err },
      ),
    );
  });

  let result: T;
  try {
    result = await fn(lost.signal);
  } finally {
    faultPoint('before-unlock');
    // A compromised lock may already belong to someone else: never remove it then.
    if (!lost.signal.aborted) await release().catch(() => undefined);
  }
  if (lost.signal.aborted) throw lost.signal.reason as QualifyError;
  return result;
}

/** All processes must lock the same path: the real path when the file exists (so a symlink
 * and its target share one lock), else the absolute path. */
async function lockPath(target: string): Promise<string> {
  try {
    return await realpath(target);
  } catch {
    return resolve(target);
  }
}

async function acquire(
  file: string,
  target: string,
  lockDir: string,
  waitMs: number,
  staleMs: number,
  onCompromised: (err: Error) => void,
): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs;
  let delay = 25;
  for (;;) {
    try {
      return await lockfile.lock(file, { realpath: false, stale: staleMs, retries: 0, onCompromised });
    } catch (e) {
      if (isQualifyError(e)) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') {
        const cause = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'read-only' : code === 'ENOENT' ? 'the directory does not exist' : (e as Error).message;
        throw new QualifyError('FILE_WRITE', `could not lock ${target} (${lockDir}): ${cause}`, { kind: 'file', file: target }, { cause: e });
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new QualifyError(
          'FILE_LOCKED',
          `${target} is being written by another qualify process (lock ${lockDir}); try again shortly`,
          { kind: 'file', file: target },
          { cause: e, hint: `if no other qualify is running, the lock is released by itself within ${Math.round(staleMs / 1000)} s` },
        );
      }
      // Exponential backoff with jitter, so two waiters do not retry in lock-step.
      await sleep(Math.min(left, delay * (0.5 + Math.random())));
      delay = Math.min(delay * 2, 500);
    }
  }
}
