// The one way a command updates a file in place (score --in-place, assess/discover write-back):
// lock, read, check unchanged, write a temp file, fsync, abort if the lock is lost, rename. The
// lock (lock.ts) covers the whole read-modify-write, so two runs lose no update; the identity
// taken before reading lets the write refuse a file someone saved meanwhile (Excel); the lock's
// abort signal reaches every step of the write, so a lost lock stops it before the rename.
import { stat } from 'node:fs/promises';
import { QualifyError } from '../core/errors.js';
import { identify, type FileIdentity, type ReplaceStep, type WriteOptions } from './atomic-write.js';
import { withFileLock, type LockOptions } from './lock.js';
import { writeToFile } from './output.js';
import { kindOf } from './path-identity.js';
import type { CsvFormInfo } from './csv-reader.js';

export type { ReplaceStep } from './atomic-write.js';

export type ReplaceStepHook = (step: ReplaceStep, lock: AbortSignal) => void | Promise<void>;

export interface ReplaceContext {
  /** The file's identity when the lock was taken, before reading (null: it does not exist yet
   * and is not read). */
  before: FileIdentity | null;
  /** The lock's signal: aborted when the lock is lost. Long reads may check it. */
  signal: AbortSignal;
  /**
   * Replaces the file with `content`: temp file, fsync, refused if the file changed since
   * `before`, stopped if the lock was lost, renamed. Text chunks are encoded in `form`'s
   * encoding (null: UTF-8); Buffers are written as they are. Call it once. `release` is told
   * each Buffer chunk once written (WriteOptions.release).
   */
  write(content: Buffer | AsyncIterable<string | Buffer>, form?: CsvFormInfo | null, release?: (chunk: Buffer) => void): Promise<void>;
}

export interface ReplaceOptions extends LockOptions {
  /** The new content is made from the file itself (the default): it must exist, be a regular
   * file, and be unchanged at the rename. False for a target that is only written (assess
   * --output), which may not exist yet. */
  readsTarget?: boolean;
  /** The option named in a refusal (default --in-place). */
  option?: string;
  /** Tests: called at each step with the lock's signal, the lock held (may be async). */
  onStep?: ReplaceStepHook;
}

/** Runs `update` under `file`'s lock; see ReplaceContext.write for what writing does. */
export async function replaceLocked<T>(file: string, update: (ctx: ReplaceContext) => Promise<T>, opts: ReplaceOptions = {}): Promise<T> {
  const readsTarget = opts.readsTarget ?? true;
  const option = opts.option ?? '--in-place';
  if (readsTarget) {
    // A FIFO or a device has no content to keep and cannot be replaced: say so before locking
    // or reading (reading a FIFO would consume it).
    const st = await stat(file).catch(() => undefined);
    if (st && !st.isFile()) {
      throw new QualifyError('ARG_INVALID', `cannot update ${file} in place: it is ${kindOf(st)}, not a regular file`, { kind: 'arg', option }, {
        hint: 'read it and write a new file instead: --output FILE',
      });
    }
  }
  const lockOptions: LockOptions = {
    ...(opts.waitMs !== undefined ? { waitMs: opts.waitMs } : {}),
    ...(opts.staleMs !== undefined ? { staleMs: opts.staleMs } : {}),
  };
  return withFileLock(
    file,
    async (signal) => {
      let before: FileIdentity | null = null;
      if (readsTarget) {
        try {
          before = await identify(file);
        } catch (e) {
          throw new QualifyError('FILE_NOT_FOUND', `cannot update ${file} in place: ${(e as Error).message}`, { kind: 'file', file });
        }
      }
      const onStep = opts.onStep;
      await onStep?.('locked', signal);
      let written = false;
      const write = async (content: Buffer | AsyncIterable<string | Buffer>, form: CsvFormInfo | null = null, release?: (chunk: Buffer) => void): Promise<void> => {
        if (written) throw new Error(`replaceLocked: ${file} written twice`);
        written = true;
        const atomic: WriteOptions = { signal, ...(before ? { expect: before } : {}), ...(onStep ? { onStep: (step: ReplaceStep) => onStep(step, signal) } : {}) };
        await writeToFile(file, Buffer.isBuffer(content) ? [content] : content, { form, ...atomic, ...(release ? { release } : {}) });
      };
      return update({ before, signal, write });
    },
    lockOptions,
  );
}
