// JSON out: one array of objects, `[`, then `{` + input fields + score fields + `}` per row,
// `,\n` between them. Input columns become string fields under unique keys (uniqueKeys); the
// score fields are typed (numbers, reasons as [{rule, points, why}]). Keys are encoded once
// per file, never through a plain object, so a `__proto__` header is just a column. NDJSON
// (ndjson.ts) writes the same objects one a line.
import type { Reason, ScoreResult } from '../../core/scoring/engine.js';
import type { ChunkBuilder } from '../../io/chunk-builder.js';
import { beforeLineEnding, skipBlankLines, type RecordBatch } from '../../io/csv-reader.js';
import { uniqueKeys } from '../../io/record-writer.js';
import type { OutputFormat, RowComposer, RowComposerConfig, ScorePartConfig } from './format.js';

/**
 * The input part of an object, each field followed by `,`: input columns as strings under unique
 * keys; `skip` marks input columns that are old score columns (re-scoring a scored file), whose
 * fresh values come from the score part.
 */
export function createJsonInputFields(header: readonly string[], skip: ReadonlySet<number>): (row: readonly string[]) => string {
  const keys = uniqueKeys(header).map((k) => JSON.stringify(k) + ':');
  const columns = keys.map((_, i) => i).filter((i) => !skip.has(i));
  return (row) => {
    let out = '';
    for (let j = 0; j < columns.length; j++) {
      const i = columns[j]!;
      out += keys[i]! + JSON.stringify(row[i] ?? '') + ',';
    }
    return out;
  };
}

/** The score fields, from the first key to the last value (no braces): numbers as numbers, text
 * as strings (a missing grade as null), reasons as [{rule, points, why}]. */
export function jsonScorePart(cfg: ScorePartConfig): (s: ScoreResult) => string {
  const fields = cfg.fields.map(({ name, value: v }): ((s: ScoreResult) => string) => {
    const key = JSON.stringify(name) + ':';
    switch (v.kind) {
      case 'number':
        return (s) => key + v.get(s);
      case 'text':
      case 'stage': {
        // A handful of values a file (from the rules): each encoded once.
        const seen = new Map<string | null, string>();
        return (s) => {
          const t = v.get(s);
          let w = seen.get(t);
          if (w === undefined) {
            if (seen.size >= 256) seen.clear();
            seen.set(t, (w = key + JSON.stringify(t)));
          }
          return w;
        };
      }
      case 'reasons':
        return (s) => {
          const reasons = v.get(s);
          let out = key + '[';
          for (let i = 0; i < reasons.length; i++) out += (i ? ',' : '') + reasonJson(reasons[i]!);
          return out + ']';
        };
    }
  });
  const n = fields.length;
  return (s) => {
    let part = fields[0]!(s);
    for (let i = 1; i < n; i++) part += ',' + fields[i]!(s);
    return part;
  };
}

/**
 * jsonScorePart's bytes, written into a buffer piece by piece (OutputFormat.scorePartBytes):
 * each key, each text value of the rules and each shared (frozen) reason is encoded once per
 * file, so a row costs copies, not a string built and encoded again. The same bytes as
 * Buffer.from(jsonScorePart(cfg)(s)) (test/pipeline/json-score-part.test.ts).
 */
export function jsonScorePartBytes(cfg: ScorePartConfig): (s: ScoreResult, buf: Buffer, at: number) => number {
  type Put = (s: ScoreResult, buf: Buffer, at: number) => number;
  const fields = cfg.fields.map(({ name, value: v }, i): Put => {
    const key = Buffer.from((i === 0 ? '' : ',') + JSON.stringify(name) + ':');
    switch (v.kind) {
      case 'number':
        return (s, buf, at) => {
          at = put(key, buf, at);
          return at < 0 ? -1 : putAscii(String(v.get(s)), buf, at);
        };
      case 'text':
      case 'stage': {
        // A handful of values a file (from the rules): each encoded once, with its key.
        const seen = new Map<string | null, Buffer>();
        return (s, buf, at) => {
          const t = v.get(s);
          let w = seen.get(t);
          if (w === undefined) {
            if (seen.size >= 256) seen.clear();
            seen.set(t, (w = Buffer.from(key.toString() + JSON.stringify(t))));
          }
          return put(w, buf, at);
        };
      }
      case 'reasons': {
        const open = Buffer.from(key.toString() + '[');
        // A reason is written in three pieces: `{"rule":…,"points":` (a handful a file), its
        // points, and `,"why":…}` (a handful, plus one per age for decay). Not one Buffer per
        // reason: the engine shares ~17,000 decay reasons at a million rows, one per age and
        // engagement, and a Buffer each cost ~4 MB in each thread.
        const heads = new Map<string, Buffer>();
        const tails = new Map<string, Buffer>();
        return (s, buf, at) => {
          const reasons = v.get(s);
          at = put(open, buf, at);
          for (let i = 0; i < reasons.length && at >= 0; i++) {
            const r = reasons[i]!;
            if (i > 0) at = at < buf.length ? ((buf[at] = COMMA), at + 1) : -1;
            if (at >= 0) at = put(piece(heads, r.rule, reasonHead), buf, at);
            if (at >= 0) at = putAscii(String(r.points), buf, at);
            if (at >= 0) at = put(piece(tails, r.why, reasonTail), buf, at);
          }
          return at < 0 || at >= buf.length ? -1 : ((buf[at] = CLOSE_BRACKET), at + 1);
        };
      }
    }
  });
  const n = fields.length;
  return (s, buf, at) => {
    for (let i = 0; i < n && at >= 0; i++) at = fields[i]!(s, buf, at);
    return at;
  };
}

const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;

/** Copies `piece` into `buf` at `at`; the end, or -1 when it does not fit. */
function put(piece: Buffer, buf: Buffer, at: number): number {
  return at + piece.length > buf.length ? -1 : copyBytes(piece, 0, piece.length, buf, at);
}

/** Writes an ASCII string (a number's text) into `buf` at `at`; the end, or -1. */
function putAscii(text: string, buf: Buffer, at: number): number {
  const end = at + text.length;
  if (end > buf.length) return -1;
  for (let i = 0; i < text.length; i++) buf[at + i] = text.charCodeAt(i);
  return end;
}

const reasonHead = (rule: string): string => '{"rule":' + JSON.stringify(rule) + ',"points":';
const reasonTail = (why: string): string => ',"why":' + JSON.stringify(why) + '}';
/** Pieces kept at most per cache (a file's rules and ages need far fewer). */
const MAX_PIECES = 8192;

/** `text` made into bytes by `make`, encoded once and kept in `cache`. */
function piece(cache: Map<string, Buffer>, text: string, make: (text: string) => string): Buffer {
  let b = cache.get(text);
  if (b === undefined) {
    if (cache.size >= MAX_PIECES) cache.clear();
    cache.set(text, (b = Buffer.from(make(text))));
  }
  return b;
}

// The engine hands out the same frozen Reason for the same rule and points (fixed rules, units,
// decay per age): its JSON is encoded once. Reasons made for one row are collected as usual.
const reasonJsonOf = new WeakMap<Reason, string>();
function reasonJson(r: Reason): string {
  let j = reasonJsonOf.get(r);
  if (j === undefined) {
    j = reasonHead(r.rule) + r.points + reasonTail(r.why);
    // Only frozen reasons are shared between rows; another could change.
    if (Object.isFrozen(r)) reasonJsonOf.set(r, j);
  }
  return j;
}

const CLOSE = Buffer.from('}');

/** Objects separated by `separator`; the first one preceded by `first`. */
export function jsonObjectComposer(cfg: RowComposerConfig, first: string, separator: string): RowComposer {
  const width = cfg.header.length;
  const skip = new Set(Array.from(cfg.scoreAt).filter((at) => at < width));
  const input = createJsonInputFields(cfg.header, skip);
  const copy = skip.size === 0 ? createJsonFieldCopier(cfg) : null;
  const openFirst = Buffer.from(first + '{');
  const openNext = Buffer.from(separator + '{');
  let open = openFirst;
  return (out, batch, b, parts) => {
    if (copy === null || !copy(out, open, batch, b)) out.text((open === openFirst ? first : separator) + '{' + input(batch[b]!));
    open = openNext;
    out.bytes(parts.bytes, b === 0 ? 0 : parts.ends[b - 1]!, parts.ends[b]!);
    out.bytes(CLOSE);
  };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The input fields of a row copied from its bytes as read (the reader's keepBytes), without
 * making a string of any cell: most of what NDJSON and JSON out cost beyond CSV out was
 * JSON.stringify and concatenation on every input cell. Exact only where a cell's bytes are its
 * JSON string's content, `""` inside quotes becoming `\"`: a row of as many fields as the header,
 * each unquoted or quoted, with no quote (unquoted), backslash or control character (JSON escapes those),
 * a one-byte delimiter. Any other row (or a batch without bytes) returns false having written
 * nothing, and is written from its cells. The bytes are UTF-8 whatever the input's encoding, and
 * valid (the reader checks), so they hold no lone surrogate JSON.stringify would escape.
 */
function createJsonFieldCopier(cfg: RowComposerConfig): ((out: ChunkBuilder, open: Buffer, batch: RecordBatch, b: number) => boolean) | null {
  const d = cfg.delimiter;
  if (d.length !== 1 || d.charCodeAt(0) >= 0x80 || d === '"' || d === '\\') return null;
  const dByte = d.charCodeAt(0);
  const width = cfg.header.length;
  // Before each value `"key":"`, joined to the `",` that closes the value before it (one copy
  // between two values instead of two), and `",` after the last value.
  const keyOpen = uniqueKeys(cfg.header).map((k, i) => Buffer.from((i === 0 ? '' : '",') + JSON.stringify(k) + ':"'));
  const valueClose = Buffer.from('",');
  const keysLength = keyOpen.reduce((n, k) => n + k.length, 0);
  const crFile = cfg.recordDelimiter === '\r';
  // What ends or stops the copy of an unquoted cell, one look-up a byte instead of four tests:
  // 1 the delimiter, 2 a byte JSON escapes (control, backslash) or a quote.
  const stopUnquoted = new Uint8Array(256);
  for (let c = 0; c < 0x20; c++) stopUnquoted[c] = 2;
  stopUnquoted[QUOTE] = 2;
  stopUnquoted[BACKSLASH] = 2;
  stopUnquoted[dByte] = 1;
  return (out, open, batch, b) => {
    const bytes = batch.bytes;
    const spans = batch.spans;
    if (bytes === undefined || spans === undefined) return false;
    let s = spans[2 * b]!;
    let e = spans[2 * b + 1]!;
    if (s < 0) return false;
    // Blank lines before the row (skipped by the parser) and its line ending are not its text.
    s = skipBlankLines(bytes, s, e, crFile);
    e = beforeLineEnding(bytes, s, e, crFile);
    // Fields found and copied in one pass, by hand, into the chunk; nothing counts until
    // `advance`, so a row found not copyable part-way leaves the chunk as it was. (A pass to find
    // the fields, then 2 + 2 x width ChunkBuilder.bytes calls, were a seventh of the reading
    // thread's time.) A `""` pair becomes `\"`, the same length, so the row's input part takes
    // at most its keys plus its bytes.
    const buf = out.space(open.length + keysLength + (e - s) + valueClose.length);
    let w = copyBytes(open, 0, open.length, buf, out.length);
    let p = s;
    for (let f = 0; ; ) {
      if (f === width) return false;
      const key = keyOpen[f]!;
      w = copyBytes(key, 0, key.length, buf, w);
      let q: number;
      if (p < e && bytes[p] === QUOTE) {
        for (q = p + 1; q < e; q++) {
          const c = bytes[q]!;
          if (c === QUOTE) {
            // `""` inside the quotes is one quote in the cell, `\"` in JSON.
            if (q + 1 < e && bytes[q + 1] === QUOTE) {
              buf[w++] = BACKSLASH;
              buf[w++] = QUOTE;
              q++;
              continue;
            }
            break;
          }
          if (c < 0x20 || c === BACKSLASH) return false;
          buf[w++] = c;
        }
        if (q >= e) return false;
        p = q + 1;
        // Text after the closing quote: written from the cells.
        if (p < e && bytes[p] !== dByte) return false;
      } else {
        for (q = p; q < e; q++) {
          const c = bytes[q]!;
          const stop = stopUnquoted[c]!;
          if (stop !== 0) {
            if (stop === 1) break;
            return false;
          }
          buf[w++] = c;
        }
        p = q;
      }
      f++;
      if (p >= e) {
        if (f !== width) return false;
        break;
      }
      p++; // the delimiter
    }
    out.advance(copyBytes(valueClose, 0, valueClose.length, buf, w));
    return true;
  };
}

/** Copies src[from, to) into dst at `at` (room checked by the caller); returns the end. Short
 * pieces by hand: a typed-array copy has a fixed cost larger than a few bytes' loop. */
function copyBytes(src: Buffer, from: number, to: number, dst: Buffer, at: number): number {
  if (to - from < 48) {
    for (let i = from; i < to; i++) dst[at++] = src[i]!;
    return at;
  }
  src.copy(dst, at, from, to);
  return at + (to - from);
}

export const format: OutputFormat = {
  name: 'json',
  inPlace: false,
  keepsInputEncoding: false,
  // Rows are copied from the bytes read where that gives the same text (createJsonFieldCopier).
  reading: () => ({ keepBytes: true }),
  prologue: () => '[',
  scorePart: jsonScorePart,
  scorePartBytes: jsonScorePartBytes,
  rowComposer: (cfg) => jsonObjectComposer(cfg, '\n', ',\n'),
  epilogue: (rows) => (rows === 0 ? ']\n' : '\n]\n'),
};
