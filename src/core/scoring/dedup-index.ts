// Remembers which record first had each contact key (a normalised email), in memory that stays
// small at a million rows: keys are stored as 64-bit hashes in typed arrays (12 bytes a key)
// instead of strings in a Map (~80 bytes a key). Two different emails share a 64-bit hash with
// a probability of about 3e-8 in a 1M-row file; such a pair would be reported as duplicates.

export class DedupIndex {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private rec: Int32Array; // record number of the first occurrence; 0 = empty slot
  private size = 0;
  private mask: number;

  constructor(initialCapacity = 1 << 14) {
    let cap = 16;
    while (cap < initialCapacity) cap <<= 1;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.rec = new Int32Array(cap);
    this.mask = cap - 1;
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
    let slot = (h1 ^ Math.imul(h2, 0x9e3779b1)) & this.mask;
    for (;;) {
      const r = this.rec[slot]!;
      if (r === 0) break;
      if (this.hi[slot] === h1 && this.lo[slot] === h2) return r;
      slot = (slot + 1) & this.mask;
    }
    this.hi[slot] = h1;
    this.lo[slot] = h2;
    this.rec[slot] = record;
    if (++this.size * 2 > this.mask) this.grow();
    return 0;
  }

  get count(): number {
    return this.size;
  }

  private grow(): void {
    const { hi, lo, rec } = this;
    const cap = (this.mask + 1) * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.rec = new Int32Array(cap);
    this.mask = cap - 1;
    for (let i = 0; i < rec.length; i++) {
      const r = rec[i]!;
      if (r === 0) continue;
      let slot = (hi[i]! ^ Math.imul(lo[i]!, 0x9e3779b1)) & this.mask;
      while (this.rec[slot] !== 0) slot = (slot + 1) & this.mask;
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.rec[slot] = r;
    }
  }
}
