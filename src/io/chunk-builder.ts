// Output text assembled straight into Buffers of about one write each (UTF-8). Building a 256 KiB
// string from thousands of small pieces and then encoding it costs more than the pieces: V8
// flattens the rope of concatenations before encoding it (a sixth of the main thread's time at a
// million rows, bench/README.md). Copying bytes in place, and encoding each string once where
// it lands, avoids both.

export class ChunkBuilder {
  private buf: Buffer;
  private len = 0;

  /** `size`: the chunk size callers aim for (`full`); the buffer grows past it for a long row.
   * Buffers are never slices of Node's shared pool (allocUnsafeSlow): a chunk's memory is its
   * own, so `recycle` can tell it (the pool is 8 KiB on Node 20 and 22, 64 KiB on Node 24). */
  constructor(private readonly size: number) {
    this.buf = Buffer.allocUnsafeSlow(size + (size >> 2));
  }

  get length(): number {
    return this.len;
  }

  /** Whether the chunk has reached the size aimed for. */
  full(): boolean {
    return this.len >= this.size;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }

  /** Appends a string as UTF-8 (a lone surrogate becomes U+FFFD, as Buffer.from does). */
  text(s: string): void {
    // At most 3 bytes per UTF-16 unit.
    this.reserve(s.length * 3);
    this.len += this.buf.write(s, this.len);
  }

  /** Appends bytes [from, to) of `src`. */
  bytes(src: Buffer, from = 0, to = src.length): void {
    const n = to - from;
    this.reserve(n);
    // A byte loop beats Buffer#copy's checks and native call for the short pieces a row is made
    // of (cells, keys, separators); measured with NDJSON out, where a row is 40-odd such copies.
    if (n < 48) for (let i = from; i < to; i++) this.buf[this.len++] = src[i]!;
    else {
      src.copy(this.buf, this.len, from, to);
      this.len += n;
    }
  }

  /** Room for `n` more bytes: the buffer to write them into, from `length` on, by hand (a hot
   * loop that would otherwise make dozens of small `bytes` calls a row); then `advance`. */
  space(n: number): Buffer {
    this.reserve(n);
    return this.buf;
  }

  /** After writing into `space`'s buffer: the bytes now end at `end`. */
  advance(end: number): void {
    this.len = end;
  }

  /** Whether the bytes so far end with `tail`. */
  endsWith(tail: Buffer): boolean {
    if (tail.length > this.len) return false;
    for (let i = 0; i < tail.length; i++) if (this.buf[this.len - tail.length + i] !== tail[i]) return false;
    return true;
  }

  /** Drops the last `n` bytes. */
  dropLast(n: number): void {
    this.len = Math.max(0, this.len - n);
  }

  /** The bytes so far, handed over (the caller may keep them, or give them back with recycle);
   * the builder starts afresh. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.len);
    this.buf = this.spare.pop() ?? Buffer.allocUnsafeSlow(this.size + (this.size >> 2));
    this.len = 0;
    return out;
  }

  /** Chunks given back once written, to be filled again: a chunk's memory is outside V8's heap
   * and, dropped, waits for a collection to be freed; NDJSON out hands over 3x CSV's bytes,
   * and the chunks waiting were a quarter of its peak RSS. */
  private readonly spare: Buffer[] = [];

  /** Gives back a chunk `take` returned, once nothing holds it any more (it was written). Others
   * (a chunk grown past the usual size, a stranger's Buffer) are left to the collector. */
  recycle(chunk: Buffer): void {
    const whole = this.size + (this.size >> 2);
    if (chunk.byteOffset !== 0 || chunk.buffer.byteLength !== whole || this.spare.length >= MAX_SPARE_CHUNKS) return;
    this.spare.push(Buffer.from(chunk.buffer, 0, whole));
  }
}

/** Chunks kept for reuse: one being filled while one or two are being written. */
const MAX_SPARE_CHUNKS = 3;
