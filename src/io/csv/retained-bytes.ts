// The bytes given to the parser that a reader still needs: since the last good record (to cut a
// bad row out verbatim in skip-invalid mode, or a record's own text for --in-place), or since
// the first row not yet handed out (to copy rows as bytes). Offsets are the parser's: they count
// from the start of what the current parser was given.
import { countLineBreaks } from '../line-endings.js';

const CR = 0x0d;
const LF = 0x0a;

/** Where a search for a bad row's first line has got to (skip-invalid mode): parser offsets. */
export interface LineSearch {
  /** Everything before this offset was looked at. */
  pos: number;
  /** Where the line's text starts, after the blank lines before it; -1 while still skipping them. */
  start: number;
  blankLines: number;
}

/** A line found by firstLine: its text is [start, end), the next line starts at `next`. */
export interface FoundLine {
  start: number;
  end: number;
  next: number;
  blankLines: number;
}

export class RetainedBytes {
  private buffers: Buffer[] = [];
  /** The parser offset of buffers[0]. */
  private start = 0;

  push(b: Buffer): void {
    this.buffers.push(b);
  }

  /** Forgets everything: a new parser starts counting from 0. */
  reset(): void {
    this.buffers = [];
    this.start = 0;
  }

  /** The offset just after the last byte kept. */
  end(): number {
    let total = this.start;
    for (const b of this.buffers) total += b.length;
    return total;
  }

  /** The bytes [from, to), concatenating what is kept once (and keeping the result). */
  slice(from: number, to: number): Buffer {
    const all = this.buffers.length === 1 ? this.buffers[0]! : Buffer.concat(this.buffers);
    this.buffers = [all];
    return all.subarray(from - this.start, to - this.start);
  }

  /** The last buffer pushed and its offset: the slice a step's records end in. */
  last(): { bytes: Buffer; start: number } {
    let start = this.start;
    for (let r = 0; r < this.buffers.length - 1; r++) start += this.buffers[r]!.length;
    return { bytes: this.buffers[this.buffers.length - 1]!, start };
  }

  /** Line breaks in [from, to). */
  lineBreaks(from: number, to: number): number {
    return countLineBreaks(this.buffers, this.start, from, to);
  }

  dropBefore(offset: number): void {
    while (this.buffers.length > 0 && this.start + this.buffers[0]!.length <= offset) {
      this.start += this.buffers[0]!.length;
      this.buffers.shift();
    }
    // Trim a buffer that starts before `offset` (once concatenated, buffers[0] runs to the end
    // of the text given so far, and would otherwise grow with every slice).
    if (this.buffers.length > 0 && this.start < offset) {
      this.buffers[0] = this.buffers[0]!.subarray(offset - this.start);
      this.start = offset;
    }
  }

  /** The byte at offset `at`, or -1 past the end. */
  byteAt(at: number): number {
    let pos = this.start;
    for (const b of this.buffers) {
      if (at < pos + b.length) return b[at - pos]!;
      pos += b.length;
    }
    return -1;
  }

  /**
   * The first non-blank line at or after the search's offset; undefined when its end is not
   * kept yet (and more text may come): call again with the same search once more is pushed.
   * The search remembers how far it got, so a line that arrives in many slices (an oversized
   * record) is scanned once, in linear time, and the buffers are never concatenated meanwhile.
   */
  firstLine(search: LineSearch, atEnd: boolean): FoundLine | undefined {
    const total = this.end();
    let i = search.pos;
    if (search.start < 0) {
      for (;;) {
        const c = this.byteAt(i);
        if (c !== CR && c !== LF) break;
        if (c === CR) {
          if (i + 1 === total && !atEnd) return undefined;
          if (this.byteAt(i + 1) === LF) i++;
        }
        i++;
        search.blankLines++;
        search.pos = i;
      }
      search.start = i;
    }
    // Look for the line's end in the bytes not scanned yet.
    let end = -1;
    let pos = this.start;
    for (const b of this.buffers) {
      if (pos + b.length > i) {
        for (let k = Math.max(i - pos, 0); k < b.length; k++) {
          const c = b[k]!;
          if (c === CR || c === LF) {
            end = pos + k;
            break;
          }
        }
        if (end >= 0) break;
      }
      pos += b.length;
    }
    if (end < 0) {
      search.pos = total;
      return atEnd ? { start: search.start, end: total, next: total, blankLines: search.blankLines } : undefined;
    }
    search.pos = end;
    let next = end + 1;
    if (this.byteAt(end) === CR) {
      if (next === total && !atEnd) return undefined;
      if (this.byteAt(next) === LF) next++;
    }
    return { start: search.start, end, next, blankLines: search.blankLines };
  }
}
