// Bytes to text, the same way for both CSV front ends: the encoding detected from the first
// bytes (a BOM, UTF-16's NULs, or --encoding), then one decoder with fatal checks. UTF-8 stays
// bytes (validated), which is what csv-parse parses; other encodings are decoded to text.
import { Readable } from 'node:stream';
import { createDecoder, createUtf8Validator, detectEncoding, type DetectedEncoding } from '../decode.js';
import { holdsFirstLine } from './form.js';
import { emptyFileError, readHead } from './source.js';

/** A decoded stream: its start as text (enough to settle the form) and the chunks after it. */
export interface DecodedStream {
  encoding: DetectedEncoding;
  /** At least the first line and the one after it (8 KiB or more), or all of a shorter text. */
  headText: string;
  /** Whether headText is all of the text. */
  done: boolean;
  /** The next chunk after headText (valid UTF-8 bytes, or text), or undefined at the end. */
  next(): Promise<string | Buffer | undefined>;
  /** Bytes read from the source so far. */
  bytesRead(): number;
  /** Stops reading: closes the source (not stdin) and the decoder, quietly. */
  close(): void;
}

export async function openDecodedStream(file: string, source: Readable, requestedEncoding: string | undefined): Promise<DecodedStream> {
  const byteIter = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const { headBuf, sourceDone } = await readHead(byteIter);
  let bytes = headBuf.length;
  if (headBuf.length === 0) throw emptyFileError(file);
  const encoding = detectEncoding(headBuf, requestedEncoding, file);
  const decoder = encoding.encoding === 'utf8' ? createUtf8Validator(file) : createDecoder(encoding, file);
  let closed = false;
  const feed = async () => {
    try {
      decoder.write(headBuf);
      if (!sourceDone) {
        for (;;) {
          const n = await byteIter.next();
          if (n.done) break;
          bytes += n.value.length;
          if (!decoder.write(n.value)) await new Promise((r) => decoder.once('drain', r));
        }
      }
      decoder.end();
    } catch (e) {
      decoder.destroy(closed ? undefined : (e as Error));
    }
  };
  void feed();
  const textIter = decoder[Symbol.asyncIterator]() as AsyncIterator<string | Buffer>;
  let done = false;
  const next = async (): Promise<string | Buffer | undefined> => {
    if (done) return undefined;
    const n = await textIter.next();
    if (n.done) {
      done = true;
      return undefined;
    }
    return n.value;
  };
  let headText = '';
  // Read until the first line (and the one after, for the line ending) is complete.
  while (!holdsFirstLine(headText) || headText.length < 8192) {
    const chunk = await next();
    if (chunk === undefined) break;
    // A validated UTF-8 chunk ends on a character boundary, so it decodes on its own.
    headText += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  }
  const close = () => {
    if (closed) return;
    closed = true;
    done = true;
    if (source !== process.stdin) source.destroy();
    decoder.destroy();
  };
  return { encoding, headText, done, next, bytesRead: () => bytes, close };
}

/** A whole file's bytes as text, with the streaming reader's decoder: the same fatal checks and
 * error positions as `qualify score`. */
export async function decodeWhole(file: string, bytes: Buffer, requestedEncoding: string | undefined): Promise<{ encoding: DetectedEncoding; text: string }> {
  if (bytes.length === 0) throw emptyFileError(file);
  const encoding = detectEncoding(bytes.subarray(0, 4096), requestedEncoding, file);
  let text = '';
  for await (const chunk of Readable.from([bytes]).pipe(createDecoder(encoding, file))) text += chunk as string;
  return { encoding, text };
}
