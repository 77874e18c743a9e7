// Text encodings of CSV files: sniffs the byte-order mark (or takes --encoding), decodes a byte
// stream to text and encodes text back in the file's own encoding. Decoding is fatal over the
// WHOLE stream: a byte that is not valid in the encoding is a CSV_ENCODING error with its
// position, never a silent U+FFFD that an in-place rewrite would then write to disk for good.
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { QualifyError } from '../core/errors.js';

export type TextEncodingName = 'utf8' | 'utf16le' | 'utf16be' | 'win1252' | 'latin1';

export interface DetectedEncoding {
  encoding: TextEncodingName;
  /** The file starts with a byte-order mark (stripped when decoding, re-added when encoding). */
  bom: boolean;
}

export const ENCODING_NAMES: readonly TextEncodingName[] = ['utf8', 'utf16le', 'utf16be', 'win1252', 'latin1'];

/** `--encoding` spellings, compared lower-case with `-`, `_` and spaces removed. `utf16` takes
 * its byte order from the BOM (little-endian without one, like Excel). */
const ALIASES: ReadonlyMap<string, TextEncodingName | 'utf16'> = new Map<string, TextEncodingName | 'utf16'>([
  ['utf8', 'utf8'],
  ['utf16le', 'utf16le'],
  ['ucs2', 'utf16le'],
  ['utf16be', 'utf16be'],
  ['utf16', 'utf16'],
  ['unicode', 'utf16'],
  ['win1252', 'win1252'],
  ['windows1252', 'win1252'],
  ['cp1252', 'win1252'],
  ['ansi', 'win1252'],
  ['latin1', 'latin1'],
  ['iso88591', 'latin1'],
  ['l1', 'latin1'],
]);

const LABEL: Readonly<Record<TextEncodingName, string>> = {
  utf8: 'UTF-8',
  utf16le: 'UTF-16LE',
  utf16be: 'UTF-16BE',
  win1252: 'Windows-1252',
  latin1: 'ISO-8859-1 (Latin-1)',
};

function bomOf(head: Uint8Array): 'utf8' | 'utf16le' | 'utf16be' | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  return undefined;
}

/**
 * Decides how to decode a file from its first bytes (pass at least the first 4 KiB, or the
 * whole file if shorter) and an optional `--encoding` value. A BOM decides when no encoding is
 * requested; without one the file is taken as UTF-8 (the fatal decoder then says so if it is
 * not). Throws ARG_INVALID for an unknown or BOM-contradicting `--encoding`, and CSV_ENCODING
 * for bytes that are clearly not a text CSV (UTF-16 without BOM, an Excel workbook).
 */
export function detectEncoding(head: Buffer, requested?: string, file = 'the input'): DetectedEncoding {
  const bom = bomOf(head);
  if (requested !== undefined) {
    const name = ALIASES.get(requested.toLowerCase().replace(/[-_\s]/g, ''));
    if (name === undefined) {
      throw new QualifyError(
        'ARG_INVALID',
        `unknown encoding "${requested}"; use one of ${ENCODING_NAMES.join(', ')}`,
        { kind: 'arg', option: '--encoding' },
      );
    }
    const encoding: TextEncodingName = name === 'utf16' ? (bom === 'utf16be' ? 'utf16be' : 'utf16le') : name;
    if (bom !== undefined && bom !== encoding) {
      throw new QualifyError(
        'ARG_INVALID',
        `--encoding ${requested} does not match ${file}, which starts with a ${LABEL[bom]} byte-order mark`,
        { kind: 'arg', option: '--encoding' },
        { hint: 'leave out --encoding: the byte-order mark already says how the file is encoded' },
      );
    }
    return { encoding, bom: bom === encoding };
  }
  if (bom !== undefined) return { encoding: bom, bom: true };

  notAWorkbook(head, file);
  const sample = head.subarray(0, 4096);
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = sample.indexOf(0); i !== -1; i = sample.indexOf(0, i + 1)) {
    if (i % 2 === 0) evenNuls++;
    else oddNuls++;
  }
  // NULs at even and odd offsets alike (/dev/zero, a disk image, a binary file) are not text in
  // any encoding qualify reads: UTF-16 puts them on one side only.
  if (sample.length >= 4 && Math.min(evenNuls, oddNuls) * 8 >= sample.length) {
    throw new QualifyError(
      'CSV_ENCODING',
      `${file} is not a text file: ${evenNuls + oddNuls === sample.length ? 'its first bytes are all NUL bytes' : 'a quarter or more of its first bytes are NUL bytes'}, as in binary data`,
      { kind: 'file', file },
      { hint: 'give qualify a CSV file (a spreadsheet saved as "CSV UTF-8")' },
    );
  }
  // ASCII text in UTF-16 has a NUL in every other byte; a stray NUL in a UTF-8 file does not
  // come close to a quarter of the bytes.
  if (sample.length >= 4 && (evenNuls + oddNuls) * 4 >= sample.length) {
    const guess = oddNuls >= evenNuls ? 'utf16le' : 'utf16be';
    throw new QualifyError(
      'CSV_ENCODING',
      `${file} looks like UTF-16 without a byte-order mark, not a UTF-8 or Windows-1252 text CSV`,
      { kind: 'file', file },
      { hint: `re-save it as "CSV UTF-8", or pass --encoding ${guess}` },
    );
  }
  return { encoding: 'utf8', bom: false };
}

function notAWorkbook(head: Uint8Array, file: string): void {
  const zip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  const ole = head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0;
  if (zip || ole) {
    throw new QualifyError(
      'CSV_ENCODING',
      `${file} is an Excel workbook (${zip ? '.xlsx' : '.xls'}), not a CSV file`,
      { kind: 'file', file },
      { hint: 'in Excel, use File > Save As > "CSV UTF-8 (Comma delimited)"' },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

/** Windows-1252 differs from Latin-1 only in 0x80-0x9F. The table comes from iconv-lite (Node
 * 20's own TextDecoder maps that block to C1 controls and would lose € “ ” –). The
 * five bytes with no character (0x81 0x8D 0x8F 0x90 0x9D), which iconv-lite turns into U+FFFD
 * and would write back as `?`, stay the C1 control of the same number, as in the WHATWG decoder,
 * so every byte survives a read and a write. */
const WIN1252_HIGH: readonly string[] = Array.from({ length: 32 }, (_, i) => {
  const ch = iconv.decode(Buffer.from([0x80 + i]), 'win1252');
  return ch === '\ufffd' ? String.fromCharCode(0x80 + i) : ch;
});
const WIN1252_BYTE: ReadonlyMap<string, string> = new Map(WIN1252_HIGH.map((ch, i) => [ch, String.fromCharCode(0x80 + i)]));
const C1_BLOCK = /[\x80-\x9f]/;
const C1_BLOCK_ALL = /[\x80-\x9f]/g;
/** The characters Windows-1252 stores in 0x80-0x9F, for encoding. */
const WIN1252_SPECIALS = new RegExp(`[${WIN1252_HIGH.join('')}]`, 'g');

/** Native Latin-1 decoding plus a fix-up of the 0x80-0x9F block, only in chunks that have one:
 * chunks without such bytes decode ~10x faster than with iconv-lite's per-byte loop, and the
 * others no slower. */
function decodeWin1252(chunk: Buffer): string {
  const text = chunk.toString('latin1');
  return C1_BLOCK.test(text) ? text.replace(C1_BLOCK_ALL, (c) => WIN1252_HIGH[c.charCodeAt(0) - 0x80]!) : text;
}

function singleByteDecoder(decode: (chunk: Buffer) => string): Transform {
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, done) {
      if (chunk.length > 0) this.push(decode(chunk));
      done();
    },
  });
}

/**
 * A Transform from Buffer chunks to string chunks (readable side in object mode, so strings are
 * passed on without re-encoding). Strips the BOM; handles characters split across chunks.
 * Emits QualifyError('CSV_ENCODING') at the first invalid byte, with its 1-based byte offset in
 * the file and its line (counted by re-reading `file` up to that byte, only when it happens).
 */
export function createDecoder(enc: DetectedEncoding, file: string): Transform {
  switch (enc.encoding) {
    case 'utf8':
    case 'utf16le':
    case 'utf16be':
      return new UnicodeDecoder(enc.encoding, file);
    case 'win1252':
      return singleByteDecoder(decodeWin1252);
    case 'latin1':
      return singleByteDecoder((chunk) => chunk.toString('latin1'));
  }
}

/**
 * UTF-8 input for csv-parse, which parses bytes: the same checks as createDecoder (fatal over the
 * whole stream, the BOM stripped, errors at the first invalid byte with its line), but the chunks
 * stay Buffers, validated with `buffer.isUtf8` (native, SIMD) and cut at character boundaries
 * so that each is valid on its own. Decoding to text and encoding it back to bytes for the parser
 * was a sixth of the main thread's time at a million rows (bench/README.md).
 */
export function createUtf8Validator(file: string): Transform {
  return new Utf8Validator(file);
}

class Utf8Validator extends Transform {
  /** An incomplete character at the end of the previous chunk (at most 3 bytes). */
  private carry: Buffer = Buffer.alloc(0);
  /** File offset of carry[0] (or of the next chunk when there is no carry). */
  private offset = 0;
  private atStart = true;

  constructor(private readonly file: string) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    if (this.atStart) {
      // Wait for three bytes to know whether the file starts with a byte-order mark.
      if (data.length < 3 && BOM_UTF8.subarray(0, data.length).equals(data)) {
        this.carry = Buffer.from(data);
        done();
        return;
      }
      this.atStart = false;
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) start = 3;
    }
    const cut = completeUtf8Length(data);
    const body = data.subarray(start, cut);
    if (!isUtf8(body)) {
      failWith(this.file, 'utf8', this.offset + start + firstInvalidUtf8(body), done);
      return;
    }
    this.offset += cut;
    this.carry = cut < data.length ? Buffer.from(data.subarray(cut)) : Buffer.alloc(0);
    if (body.length > 0) this.push(body);
    done();
  }

  override _flush(done: TransformCallback): void {
    // The file ends inside a character (or is one or two bytes of a BOM): report where it starts.
    if (this.carry.length > 0) failWith(this.file, 'utf8', this.offset, done);
    else done();
  }
}

const BOM_UTF8 = Buffer.from([0xef, 0xbb, 0xbf]);

/** Length of `b` up to the start of an incomplete character at its end (none: `b.length`). Only
 * the last three bytes can hold one; invalid bytes are left for isUtf8 to find. */
function completeUtf8Length(b: Uint8Array): number {
  const n = b.length;
  for (let i = n - 1; i >= 0 && i >= n - 3; i--) {
    const c = b[i]!;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return i + need > n ? i : n;
  }
  return n;
}

class UnicodeDecoder extends Transform {
  private readonly decoder: TextDecoder;
  /** Bytes of all chunks before the current one. */
  private consumed = 0;
  /** The last (up to 4) bytes of the previous chunk, to locate an error that began there. */
  private tail: Buffer = Buffer.alloc(0);

  constructor(
    private readonly encoding: 'utf8' | 'utf16le' | 'utf16be',
    private readonly file: string,
  ) {
    super({ readableObjectMode: true });
    this.decoder = new TextDecoder(encoding === 'utf8' ? 'utf-8' : encoding === 'utf16le' ? 'utf-16le' : 'utf-16be', { fatal: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      this.fail(this.locate(chunk), done);
      return;
    }
    if (text.length > 0) this.push(text);
    this.consumed += chunk.length;
    this.tail = Buffer.from(chunk.length >= 4 ? chunk.subarray(chunk.length - 4) : Buffer.concat([this.tail, chunk]).subarray(-4));
    done();
  }

  override _flush(done: TransformCallback): void {
    let text: string;
    try {
      text = this.decoder.decode();
    } catch {
      // The file ends inside a character: report where that character starts.
      this.fail(this.locate(Buffer.alloc(0)), done);
      return;
    }
    if (text.length > 0) this.push(text);
    done();
  }

  /** 0-based file offset of the first invalid byte, given the chunk whose decoding failed. */
  private locate(chunk: Buffer): number {
    const tail = this.tail;
    const base = this.consumed - tail.length;
    const data = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
    const bad = this.encoding === 'utf8' ? firstInvalidUtf8(data, this.consumed - base) : firstInvalidUtf16(data, base, this.encoding === 'utf16le');
    return base + bad;
  }

  private fail(offset: number, done: TransformCallback): void {
    failWith(this.file, this.encoding, offset, done);
  }
}

/** Ends a decoding stream with CSV_ENCODING at byte `offset` (0-based), with its line when the
 * file can be re-read. */
function failWith(file: string, encoding: 'utf8' | 'utf16le' | 'utf16be', offset: number, done: TransformCallback): void {
  const label = LABEL[encoding];
  countLines(file, offset, encoding).then(
    (line) => {
      const where = line === undefined ? `at byte ${offset + 1}` : `at byte ${offset + 1} (line ${line})`;
      done(
        new QualifyError(
          'CSV_ENCODING',
          `${file} is not valid ${label} ${where}`,
          line === undefined ? { kind: 'csv', file } : { kind: 'csv', file, line },
          encoding === 'utf8' ? { hint: 'if it was saved by Excel as "CSV (Comma delimited)", try --encoding win1252' } : {},
        ),
      );
    },
    () => done(new QualifyError('CSV_ENCODING', `${file} is not valid ${label} at byte ${offset + 1}`, { kind: 'csv', file })),
  );
}

/**
 * Index of the first byte of the first invalid UTF-8 sequence in `b` (WHATWG rules: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or of an incomplete sequence at its end.
 * `chunkStart` is where the failing chunk starts in `b`: the bytes before it are the previous
 * chunk's tail and may begin mid-character, so scanning starts at the first lead byte.
 * Runs only after the native decoder has already failed.
 */
export function firstInvalidUtf8(b: Uint8Array, chunkStart = 0): number {
  let i = 0;
  // Skip continuation bytes at the start of the tail (their lead byte was validated earlier).
  while (i < chunkStart && (b[i]! & 0xc0) === 0x80) i++;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const x = b[i + k];
      if (x === undefined) return i;
      if (k === 1 ? x < lo || x > hi : x < 0x80 || x > 0xbf) return i;
    }
    i += need + 1;
  }
  return n;
}

/** Same for UTF-16: an unpaired surrogate or an odd trailing byte. `base` is the file offset of
 * `b[0]`, used to align on 2-byte code units. */
function firstInvalidUtf16(b: Uint8Array, base: number, littleEndian: boolean): number {
  let i = base % 2;
  const unit = (at: number): number => (littleEndian ? b[at]! | (b[at + 1]! << 8) : (b[at]! << 8) | b[at + 1]!);
  // A low surrogate at the very start pairs with a high surrogate before the tail: skip it.
  if (i + 1 < b.length && base > 0) {
    const u = unit(i);
    if (u >= 0xdc00 && u <= 0xdfff) i += 2;
  }
  while (i + 1 < b.length) {
    const u = unit(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 3 >= b.length) return i;
      const next = unit(i + 2);
      if (next < 0xdc00 || next > 0xdfff) return i;
      i += 4;
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      return i;
    } else i += 2;
  }
  return i;
}

/** 1-based line of the byte at `offset`, counting LF (or CR in a file without LF); undefined
 * when the file cannot be re-read (stdin). */
async function countLines(file: string, offset: number, encoding: 'utf8' | 'utf16le' | 'utf16be'): Promise<number | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const width = encoding === 'utf8' ? 1 : 2;
    const lowAt = encoding === 'utf16be' ? 1 : 0; // where the ASCII byte of a code unit is
    const buf = Buffer.alloc(1 << 16);
    let lf = 0;
    let cr = 0;
    let pos = 0;
    while (pos < offset) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, offset - pos), pos);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) {
        const abs = pos + i;
        if (abs % width !== lowAt) continue;
        const c = buf[i];
        if (c !== 0x0a && c !== 0x0d) continue;
        if (width === 2) {
          const other = abs + (lowAt === 0 ? 1 : -1) - pos;
          if (other >= 0 && other < bytesRead && buf[other] !== 0) continue;
        }
        if (c === 0x0a) lf++;
        else cr++;
      }
      pos += bytesRead;
    }
    return (lf > 0 ? lf : cr) + 1;
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

/** Characters Windows-1252 cannot hold (its 0x80-0x9F block, the holes kept as C1 controls). */
const NOT_WIN1252 = /[^\x00-\x7f\x81\x8d\x8f\x90\x9d\xa0-\xff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]/u;
const NOT_LATIN1 = /[^\x00-\xff]/u;
/** In `u` mode a surrogate pair is one code point, so this only matches unpaired halves (which
 * Buffer.from would silently turn into U+FFFD). */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

const BOM_BYTES: Readonly<Record<'utf8' | 'utf16le' | 'utf16be', Buffer>> = {
  utf8: Buffer.from([0xef, 0xbb, 0xbf]),
  utf16le: Buffer.from([0xff, 0xfe]),
  utf16be: Buffer.from([0xfe, 0xff]),
};

/**
 * Encodes text in the file's own encoding, with its BOM when `enc.bom` (pass `bom: false` for
 * chunks after the first, or use createEncoder). Throws CSV_ENCODING, naming the character,
 * when the text cannot be written in that encoding: Excel would silently write `_` or `?`.
 */
export function encodeText(text: string, enc: DetectedEncoding): Buffer {
  let body: Buffer;
  switch (enc.encoding) {
    case 'utf8':
      checkWellFormed(text, enc.encoding);
      body = Buffer.from(text, 'utf8');
      break;
    case 'utf16le':
      checkWellFormed(text, enc.encoding);
      body = Buffer.from(text, 'utf16le');
      break;
    case 'utf16be':
      checkWellFormed(text, enc.encoding);
      body = Buffer.from(text, 'utf16le').swap16();
      break;
    case 'win1252': {
      checkRepertoire(text, NOT_WIN1252, enc.encoding);
      body = Buffer.from(text.replace(WIN1252_SPECIALS, (c) => WIN1252_BYTE.get(c)!), 'latin1');
      break;
    }
    case 'latin1':
      checkRepertoire(text, NOT_LATIN1, enc.encoding);
      body = Buffer.from(text, 'latin1');
      break;
  }
  if (!enc.bom || enc.encoding === 'win1252' || enc.encoding === 'latin1') return body;
  return Buffer.concat([BOM_BYTES[enc.encoding], body]);
}

/** A Transform from string chunks to Buffers in the file's encoding; the BOM is written once,
 * and a surrogate pair split across two string chunks is kept together. */
export function createEncoder(enc: DetectedEncoding): Transform {
  let first = true;
  let carry = '';
  const emit = (t: Transform, text: string): void => {
    if (text.length === 0 && !first) return;
    t.push(encodeText(text, first ? enc : { ...enc, bom: false }));
    first = false;
  };
  return new Transform({
    writableObjectMode: true,
    transform(chunk: string | Buffer, _e, done) {
      try {
        let text = carry + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        carry = '';
        const last = text.charCodeAt(text.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          carry = text.slice(-1);
          text = text.slice(0, -1);
        }
        emit(this, text);
        done();
      } catch (e) {
        done(e as Error);
      }
    },
    flush(done) {
      try {
        if (carry.length > 0 || first) emit(this, carry);
        done();
      } catch (e) {
        done(e as Error);
      }
    },
  });
}

function checkWellFormed(text: string, encoding: TextEncodingName): void {
  checkRepertoire(text, LONE_SURROGATE, encoding);
}

function checkRepertoire(text: string, outside: RegExp, encoding: TextEncodingName): void {
  const m = outside.exec(text);
  if (m) throw unencodable(text, m.index, encoding);
}

function unencodable(text: string, index: number, encoding: TextEncodingName): QualifyError {
  const ch = String.fromCodePoint(text.codePointAt(index) ?? 0xfffd);
  const code = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return new QualifyError(
    'CSV_ENCODING',
    `cannot write "${ch}" (U+${code}) in ${LABEL[encoding]}, the file's encoding`,
    undefined,
    { hint: 're-save the file as "CSV UTF-8", or change the value' },
  );
}
