// Remembers which record first had each contact key (a normalised email), in memory that stays
// small at a million rows: keys are stored as 64-bit hashes in typed arrays (12 bytes a slot)
// instead of strings in a Map (~80 bytes a key). Two different emails share a 64-bit hash with
// a probability of about 3e-8 in a 1M-row file; such a pair would be reported as duplicates.
//
// Sized from the expected number of rows when the caller knows it (file size / row size), so
// that a big file needs no growing: a grow briefly holds the old and the new table (at 1M rows
// that was 12 + 24 MB of the peak RSS). Any capacity works, not just powers of two: the home
// slot is the hash scaled to the capacity (multiply-shift), so the table is as big as needed.

/** Slots filled at most this much before the table grows (linear probing stays short). */
const MAX_LOAD = 0.75;

export class DedupIndex {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private rec: Int32Array; // record number of the first occurrence; 0 = empty slot
  private size = 0;
  private cap: number;
  private limit: number;

  /** `expectedKeys`: how many keys the caller expects (the table grows past it if need be). */
  constructor(expectedKeys = 1 << 13) {
    this.cap = Math.max(16, Math.ceil(expectedKeys / MAX_LOAD) + 1);
    this.limit = Math.floor(this.cap * MAX_LOAD);
    this.hi = new Uint32Array(this.cap);
    this.lo = new Uint32Array(this.cap);
    this.rec = new Int32Array(this.cap);
  }

  /** Records `key` for `record` (1-based) and returns 0, or the earlier record that had it. */
  firstOrAdd(key: string, record: number): number {
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 >>>= 0;
    h2 = (h2 ^ key.length) >>> 0;
    const cap = this.cap;
    let slot = home(h1, h2, cap);
    for (;;) {
      const r = this.rec[slot]!;
      if (r === 0) break;
      if (this.hi[slot] === h1 && this.lo[slot] === h2) return r;
      if (++slot === cap) slot = 0;
    }
    this.hi[slot] = h1;
    this.lo[slot] = h2;
    this.rec[slot] = record;
    if (++this.size > this.limit) this.grow();
    return 0;
  }

  get count(): number {
    return this.size;
  }

  /** Slots in the table (for tests of the sizing). */
  get capacity(): number {
    return this.cap;
  }

  private grow(): void {
    const { hi, lo, rec } = this;
    const cap = this.cap * 2;
    this.cap = cap;
    this.limit = Math.floor(cap * MAX_LOAD);
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.rec = new Int32Array(cap);
    for (let i = 0; i < rec.length; i++) {
      const r = rec[i]!;
      if (r === 0) continue;
      let slot = home(hi[i]!, lo[i]!, cap);
      while (this.rec[slot] !== 0) if (++slot === cap) slot = 0;
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.rec[slot] = r;
    }
  }
}

/** The home slot: both halves of the hash mixed, then scaled to [0, cap) (the product of a
 * 32-bit value and the capacity divided by 2^32 always stays below the capacity). */
function home(h1: number, h2: number, cap: number): number {
  const mixed = (h1 ^ Math.imul(h2, 0x9e3779b1)) >>> 0;
  return Math.floor((mixed * cap) / 4294967296);
}
