// Output sinks for text produced in chunks: stdout (data only; a reader that closes the pipe
// early, as `| head` does, ends the run quietly with status 0) and files, which are written to
// a temp file and renamed over the target only once complete, in the input's own encoding.
// A file updated in place goes through locked-replace.ts, which writes with writeToFile.
import { encodeText } from './decode.js';
import { writeFileAtomic, type WriteOptions } from './atomic-write.js';
import type { CsvFormInfo } from './csv-reader.js';

/** Writes chunks to stdout with back-pressure. Returns true when the reader closed the pipe early.
 * `release` is told each Buffer chunk once the stream is done with it (its write callback). */
export async function writeToStdout(chunks: AsyncIterable<string | Buffer>, release?: (chunk: Buffer) => void): Promise<boolean> {
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
      const written = release && typeof chunk !== 'string' ? () => release(chunk) : undefined;
      if (!out.write(chunk, written)) {
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

export interface FileSinkOptions extends Pick<WriteOptions, 'expect' | 'signal' | 'onStep' | 'release'> {
  /** Encode in the input's encoding (and BOM); null writes UTF-8 without BOM (JSON, NDJSON). */
  form: CsvFormInfo | null;
}

/** Chunks are text, or UTF-8 bytes (written as they are when the target's encoding is UTF-8).
 * `expect` (the file as read) and `signal` (the lock's) go to writeFileAtomic: locked-replace.ts
 * passes both for a file updated in place. */
export async function writeToFile(target: string, chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>, opts: FileSinkOptions): Promise<void> {
  const enc = opts.form?.encoding ?? null;
  async function* encoded(): AsyncGenerator<Buffer> {
    let firstChunk = true;
    for await (const chunk of chunks) {
      // encodeText adds the BOM the input had; only the first chunk may carry it.
      let buf: Buffer;
      if (typeof chunk === 'string') buf = enc ? encodeText(chunk, firstChunk ? enc : { ...enc, bom: false }) : Buffer.from(chunk, 'utf8');
      else if (enc === null || enc.encoding === 'utf8') {
        buf = firstChunk && enc?.bom ? Buffer.concat([encodeText('', enc), chunk]) : chunk;
        if (buf !== chunk) opts.release?.(chunk);
      } else {
        buf = encodeText(chunk.toString('utf8'), firstChunk ? enc : { ...enc, bom: false });
        opts.release?.(chunk);
      }
      firstChunk = false;
      yield buf;
    }
    if (firstChunk && enc?.bom) yield encodeText('', enc);
  }
  // stdout by name: written through process.stdout like `-`, in the file's encoding (opening
  // /dev/stdout again fails when it is a socket, and renaming over it would replace the device).
  if (STDOUT_ALIASES.has(target) && !opts.expect) {
    await writeToStdout(encoded(), opts.release);
    return;
  }
  await writeFileAtomic(target, encoded(), {
    ...(opts.expect ? { expect: opts.expect } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onStep ? { onStep: opts.onStep } : {}),
    ...(opts.release ? { release: opts.release } : {}),
  });
}

const STDOUT_ALIASES: ReadonlySet<string> = new Set(['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);
