// A byte-level field scanner for the CSV form the reader has normalised (a one-byte delimiter,
// `"` quotes doubled inside quoted values, CRLF/LF or CR record ends, UTF-8 bytes), giving exactly
// csv-parse's records, its `info` counters at each push and the same records per call. It keeps
// only well-formed records; on anything else (a misplaced quote, a row of the wrong width, a
// lone CR, a record near the size limit) it hands the bytes from the start of that record to a
// csv-parse core whose counters are set to where it stands, so that every error keeps csv-parse's
// code, message, record number and line. csv-parse spends most of the reader's parse time in
// per-byte method calls; this loop does the common case in a few comparisons per byte.
import type { ParserCore } from './parser-core.js';

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** The options the scanner understands: the ones src/io/csv/form.ts gives, and nothing else. */
export interface FastCoreOptions {
  delimiter: number;
  /** true: CR alone ends records (an old Mac file); false: CRLF or LF. */
  crOnly: boolean;
  skipEmptyLines: boolean;
  relaxColumnCount: boolean;
  /** 0: unlimited. */
  maxRecordSize: number;
}

/** A partial record held over between calls larger than this goes to csv-parse, which keeps its
 * own buffer, rather than being copied again with every slice (an unclosed quote, a huge cell). */
const HOLD_LIMIT = 1 << 20;
/** csv-parse leaves the last bytes of a slice for the next call (room for a 3-byte trimmable
 * character); records whose end lies there are pushed on the next call, here as there. */
const LOOKAHEAD = 3;

type Info = ParserCore['info'] & { records: number; bytes_records: number; invalid_field_length: number; comment_lines: number };

interface CsvParseCore extends ParserCore {
  info: Info;
  state: { bufBytesStart: number; expectedRecordLength: number | undefined };
}

/** Buffer's own decoder without toString's argument checks (one call per field). */
const utf8 = (buf: Buffer, from: number, to: number): string => (from === to ? '' : (buf as Buffer & { utf8Slice(from: number, to: number): string }).utf8Slice(from, to));

/** Notes field `n` of a record; returns the field count. */
function cut(cuts: number[], n: number, from: number, to: number, doubled: number): number {
  cuts[3 * n] = from;
  cuts[3 * n + 1] = to;
  cuts[3 * n + 2] = doubled;
  return n + 1;
}

/** A record's fields as strings. An all-ASCII record (its text as long as its bytes) is decoded
 * once and cut with String#slice; one decoder call per field cost twice as much. */
function decode(buf: Buffer, start: number, end: number, cuts: number[], n: number): string[] {
  const record = new Array<string>(n);
  const text = utf8(buf, start, end);
  const ascii = text.length === end - start;
  for (let f = 0; f < n; f++) {
    const from = cuts[3 * f]!;
    const to = cuts[3 * f + 1]!;
    const value = ascii ? text.slice(from - start, to - start) : utf8(buf, from, to);
    record[f] = cuts[3 * f + 2] === 1 ? value.replaceAll('""', '"') : value;
  }
  return record;
}

export class FastCore implements ParserCore {
  private own: Info = { bytes: 0, bytes_records: 0, comment_lines: 0, empty_lines: 0, invalid_field_length: 0, lines: 1, records: 0 };
  private inner: CsvParseCore | undefined;
  /** Bytes from the first one not yet in a record (absolute offset `base`). */
  private held: Buffer | undefined;
  private base = 0;
  private expected: number | undefined;
  /** The current record's fields: from, to, doubled quotes (0/1), three numbers a field. */
  private readonly cuts: number[] = [];
  /** Per byte: 1 for the bytes that end an unquoted field or need a closer look. */
  private readonly special = new Uint8Array(256);

  constructor(
    private readonly opts: FastCoreOptions,
    private readonly fallback: () => ParserCore,
  ) {
    for (const b of [opts.delimiter, QUOTE, CR, LF]) this.special[b] = 1;
  }

  get info(): Info {
    return this.inner ? this.inner.info : this.own;
  }

  /** Whether csv-parse has taken over (for tests and the bench). */
  handedOver(): boolean {
    return this.inner !== undefined;
  }

  parse(next: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined {
    if (this.inner) return this.inner.parse(next, end, push, close);
    let buf: Buffer;
    if (this.held === undefined) {
      if (next === undefined) {
        close();
        return undefined;
      }
      buf = next;
    } else buf = next === undefined ? this.held : Buffer.concat([this.held, next]);
    const stop = this.scan(buf, end, push);
    if (stop >= 0) return this.handOver(buf.subarray(stop), this.base + stop, end, push, close);
    return undefined;
  }

  /** Pushes the records of `buf` whose end csv-parse would reach in this call; returns -1, or
   * the offset in `buf` from which csv-parse must take over. */
  private scan(buf: Buffer, end: boolean, push: (record: string[]) => void): number {
    const { delimiter: delim, crOnly, skipEmptyLines, relaxColumnCount, maxRecordSize } = this.opts;
    const special = this.special;
    const info = this.own;
    const cuts = this.cuts;
    const len = buf.length;
    const limit = end ? len : len - LOOKAHEAD;
    // Everything before `done` is in records (or blank lines) already pushed.
    let done = 0;
    let i = 0;
    records: for (;;) {
      const start = (i = done);
      if (start >= limit) break;
      let events = 0;
      // Each field as [from, to) in buf, and whether it holds doubled quotes: decoded at the end.
      let n = 0;
      let delimAt = -1;
      let delimLen = 0;
      fields: for (;;) {
        if (i < len && buf[i] === QUOTE) {
          // A quoted value: up to the closing quote, `""` standing for one quote.
          const from = i + 1;
          let doubled = 0;
          let k = from;
          for (;;) {
            while (k < len) {
              const b = buf[k]!;
              if (b === QUOTE) break;
              if (b === CR || b === LF) events++;
              k++;
            }
            if (k >= len) {
              if (end) return start; // never closed: csv-parse's error
              break records; // more to come
            }
            if (k + 1 >= len) {
              if (!end) break records;
              n = cut(cuts, n, from, k, doubled);
              i = k + 1;
              break fields; // closed at the end of the text
            }
            const after = buf[k + 1]!;
            if (after === QUOTE) {
              doubled = 1;
              k += 2;
              continue;
            }
            n = cut(cuts, n, from, k, doubled);
            if (after === delim) {
              i = k + 2;
              continue fields;
            }
            if (crOnly ? after === CR : after === LF) {
              delimAt = k + 1;
              delimLen = 1;
              break fields;
            }
            if (!crOnly && after === CR) {
              if (k + 2 >= len) {
                if (!end) break records;
                return start;
              }
              if (buf[k + 2] === LF) {
                delimAt = k + 1;
                delimLen = 2;
                break fields;
              }
            }
            return start; // text after a closing quote
          }
        }
        // An unquoted value: up to the delimiter or the record's end.
        let k = i;
        while (k < len && special[buf[k]!] === 0) k++;
        if (k >= len) {
          if (!end) break records;
          if (start === len) break records;
          n = cut(cuts, n, i, k, 0);
          break fields; // the last record, without a line ending
        }
        const b = buf[k]!;
        if (b === delim) {
          n = cut(cuts, n, i, k, 0);
          i = k + 1;
          continue;
        }
        if (b === QUOTE) return start; // a quote inside an unquoted value
        if (crOnly) {
          if (b === LF) return start; // a lone LF in a CR file: csv-parse counts it as a line
          delimLen = 1;
        } else if (b === LF) delimLen = 1;
        else {
          if (k + 1 >= len) {
            if (!end) break records;
            return start;
          }
          if (buf[k + 1] !== LF) return start; // a lone CR inside a value
          delimLen = 2;
        }
        delimAt = k;
        if (k === start && skipEmptyLines) {
          if (k >= limit) break records;
          info.empty_lines++;
          info.lines++;
          done = k + delimLen;
          continue records;
        }
        n = cut(cuts, n, i, k, 0);
        break fields;
      }
      // A whole record: pushed if csv-parse would have reached its end in this call.
      const recordEnd = delimAt >= 0 ? delimAt : len;
      if (delimAt >= limit) break;
      if (maxRecordSize !== 0 && recordEnd - start > maxRecordSize) return start;
      if (info.records === 0) this.expected = n;
      else if (n !== this.expected) {
        if (!relaxColumnCount) return start;
        info.invalid_field_length++;
      }
      const record = decode(buf, start, recordEnd, cuts, n);
      info.lines += events;
      info.bytes = this.base + recordEnd + delimLen;
      info.records++;
      info.bytes_records += info.bytes;
      push(record);
      if (delimAt >= 0) info.lines++;
      done = recordEnd + delimLen;
    }
    // Whatever is left waits for the next call.
    if (end) {
      const last = len > 0 ? buf[len - 1] : -1;
      if (done >= len && (last === CR || last === LF)) info.empty_lines++; // csv-parse counts the final line ending as an empty line
      this.held = undefined;
      return -1;
    }
    if (len - done > Math.min(HOLD_LIMIT, maxRecordSize === 0 ? HOLD_LIMIT : maxRecordSize)) return done;
    this.held = buf.subarray(done);
    this.base += done;
    return -1;
  }

  /** csv-parse takes over from `rest` (which starts at the first byte not in a record), with the
   * counters it would have after the records before it. */
  private handOver(rest: Buffer, at: number, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined {
    const inner = this.fallback() as CsvParseCore;
    Object.assign(inner.info, this.own);
    inner.state.bufBytesStart = at;
    if (this.expected !== undefined) inner.state.expectedRecordLength = this.expected;
    this.inner = inner;
    this.held = undefined;
    return inner.parse(rest.length > 0 || !end ? rest : undefined, end, push, close);
  }
}
