// Output sinks for text produced in chunks: stdout (data only; a reader that closes the pipe
// early, as `| head` does, ends the run quietly with status 0) and files, which are written to
// a temp file and renamed over the target only once complete, in the input's own encoding.
// updateInPlace holds the file's lock over read, modify and write.
import { QualifyError } from '../core/errors.js';
import { encodeText } from './decode.js';
import { stat } from 'node:fs/promises';
import { identify, writeFileAtomic, type FileIdentity } from './atomic-write.js';
import { kindOf } from './path-identity.js';
import { withFileLock } from './lock.js';
import type { CsvFormInfo } from './csv-reader.js';

/** Writes chunks to stdout with back-pressure. Returns true when the reader closed the pipe early. */
export async function writeToStdout(chunks: AsyncIterable<string | Buffer>): Promise<boolean> {
  const out = process.stdout;
  let closed = false;
  let failure: Error | null = null;
  const onError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') closed = true;
    else failure = e;
  };
  out.on('error', onError);
  try {
    for await (const chunk of chunks) {
      if (closed) return true;
      if (failure) throw failure;
      if (!out.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            out.off('drain', done);
            out.off('error', done);
            out.off('close', done);
            resolve();
          };
          out.once('drain', done);
          out.once('error', done);
          out.once('close', done);
        });
      }
    }
    if (failure) throw failure;
    return closed;
  } finally {
    // Keep swallowing a late EPIPE: the data is already handled.
    out.off('error', onError);
    out.on('error', () => {});
  }
}

export interface FileSinkOptions {
  /** Encode in the input's encoding (and BOM); null writes UTF-8 without BOM (JSON, NDJSON). */
  form: CsvFormInfo | null;
  /** When replacing a file that was read: refuse if it changed on disk since (saved in Excel). */
  expect?: FileIdentity;
}

/** Chunks are text, or UTF-8 bytes (written as they are when the target's encoding is UTF-8). */
export async function writeToFile(target: string, chunks: AsyncIterable<string | Buffer>, opts: FileSinkOptions): Promise<void> {
  const enc = opts.form?.encoding ?? null;
  async function* encoded(): AsyncGenerator<Buffer> {
    let firstChunk = true;
    for await (const chunk of chunks) {
      // encodeText adds the BOM the input had; only the first chunk may carry it.
      let buf: Buffer;
      if (typeof chunk === 'string') buf = enc ? encodeText(chunk, firstChunk ? enc : { ...enc, bom: false }) : Buffer.from(chunk, 'utf8');
      else if (enc === null || enc.encoding === 'utf8') buf = firstChunk && enc?.bom ? Buffer.concat([encodeText('', enc), chunk]) : chunk;
      else buf = encodeText(chunk.toString('utf8'), firstChunk ? enc : { ...enc, bom: false });
      firstChunk = false;
      yield buf;
    }
    if (firstChunk && enc?.bom) yield encodeText('', enc);
  }
  // stdout by name: written through process.stdout like `-`, in the file's encoding (opening
  // /dev/stdout again fails when it is a socket, and renaming over it would replace the device).
  if (STDOUT_ALIASES.has(target) && !opts.expect) {
    await writeToStdout(encoded());
    return;
  }
  await writeFileAtomic(target, encoded(), opts.expect ? { expect: opts.expect } : {});
}

const STDOUT_ALIASES: ReadonlySet<string> = new Set(['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);

/** Runs a read-modify-write of `file` under its lock, with the identity it had when reading began. */
export async function updateInPlace<T>(file: string, fn: (before: FileIdentity) => Promise<T>): Promise<T> {
  // A FIFO or a device has no content to keep and cannot be replaced: say so before locking or
  // reading (reading a FIFO would consume it).
  const st = await stat(file).catch(() => undefined);
  if (st && !st.isFile()) {
    throw new QualifyError('ARG_INVALID', `cannot update ${file} in place: it is ${kindOf(st)}, not a regular file`, { kind: 'arg', option: '--in-place' }, {
      hint: 'read it and write a new file instead: --output FILE',
    });
  }
  return withFileLock(file, async () => {
    let before: FileIdentity;
    try {
      before = await identify(file);
    } catch (e) {
      throw new QualifyError('FILE_NOT_FOUND', `cannot update ${file} in place: ${(e as Error).message}`, { kind: 'file', file });
    }
    return fn(before);
  });
}
