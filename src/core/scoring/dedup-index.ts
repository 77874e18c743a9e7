// Remembers which record first had each contact key (a normalised email), in memory that stays
// small at a million rows: keys are stored as 64-bit hashes in typed arrays (12 bytes a slot)
// instead of strings in a Map (~80 bytes a key). Two different emails share a 64-bit hash with
// a probability of about 3e-8 in a 1M-row file (3e-6 in 10M); such a pair would be reported as
// duplicates.
//
// Sized from the expected number of rows when the caller knows it (file size / row size), so
// that a big file needs no growing: a grow briefly holds the old and the new table (at 1M rows
// that was 12 + 24 MB of the peak RSS). Any capacity works, not just powers of two: the home
// slot is the hash scaled to the capacity (multiply-shift), so the table is as big as needed.
//
// With a run store (`spill`), memory stays flat past `memoryKeys` keys however long the input:
// when the table holds that many, its entries are sorted by hash and handed to the store as a
// run (a temp file, written by the caller's layer: this module does no I/O), and the table
// starts empty. A key not in the table is then looked up in each run: a Bloom filter a run (10
// bits a key, one 64-byte block a look-up) rules most of them out, and otherwise the run's
// fences (the first hash of every block of the run, in memory) name the one block to read.
// The answers are the same as without a store (the same 64-bit hashes compared).

/** Keys a table holds before it is handed to the run store, when there is one: 16.8 MB of
 * table (1.4M slots), as much as a 1M-row file took before there were runs. */
export const MEMORY_KEYS = 1 << 20;

/** Slots filled at most this much before the table grows (linear probing stays short). */
const MAX_LOAD = 0.75;

/** Bytes of one entry of a run: the hash's two halves and the record, little-endian. */
export const ENTRY_BYTES = 12;
/** Entries per block of a run (one read of 3 KiB finds a key). */
const BLOCK_ENTRIES = 256;
/** Bloom filter bits a key, and bits set a key (within one 512-bit block). */
const BLOOM_BITS_PER_KEY = 10;
const BLOOM_PROBES = 6;

/** Where the runs go: an append-only file of the caller's layer (a temp file). */
export interface DedupRunStore {
  /** Appends `bytes`; returns the offset they start at. */
  append(bytes: Uint8Array): number;
  /** Reads `length` bytes at `offset` into the start of `into`; returns the bytes read (fewer
   * at the end of the data). */
  read(offset: number, into: Uint8Array, length: number): number;
}

export interface DedupSpill {
  /** Called once, when the table first fills. */
  store: () => DedupRunStore;
  /** Keys the table holds at most before it is handed over as a run. */
  memoryKeys: number;
}

/** A run handed to the store: its number, size, fences and Bloom filter. */
interface Run {
  /** Where its first entry starts in the store. */
  offset: number;
  entries: number;
  /** h1 of the first entry of each block. */
  fences: Uint32Array;
  /** 16 words (512 bits) a block. */
  bloom: Int32Array;
  bloomBlocks: number;
}

export class DedupIndex {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private rec: Int32Array; // record number of the first occurrence; 0 = empty slot
  private size = 0;
  private cap: number;
  private limit: number;
  private readonly spill: DedupSpill | null;
  private store: DedupRunStore | null = null;
  private readonly runs: Run[] = [];
  private spilled = 0;
  private block: Uint8Array | null = null;
  private blockView: DataView | null = null;

  /** `expectedKeys`: how many keys the caller expects (the table grows past it if need be). */
  constructor(expectedKeys = 1 << 13, spill: DedupSpill | null = null) {
    this.spill = spill;
    const keys = spill === null ? expectedKeys : Math.min(expectedKeys, spill.memoryKeys);
    this.cap = Math.max(16, Math.ceil(keys / MAX_LOAD) + 1);
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
    if (this.runs.length > 0) {
      const earlier = this.inRuns(h1, h2);
      if (earlier !== 0) return earlier;
    }
    this.hi[slot] = h1;
    this.lo[slot] = h2;
    this.rec[slot] = record;
    ++this.size;
    if (this.spill !== null && this.size >= this.spill.memoryKeys) this.handOver();
    else if (this.size > this.limit) this.grow();
    return 0;
  }

  /** Keys seen (in the table and in the runs). */
  get count(): number {
    return this.size + this.spilled;
  }

  /** Slots in the table (for tests of the sizing). */
  get capacity(): number {
    return this.cap;
  }

  /** Runs handed to the store (for tests). */
  get runCount(): number {
    return this.runs.length;
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

  /** The table's entries, sorted by h1, become a run (written a chunk at a time); the table
   * starts empty. */
  private handOver(): void {
    const { hi, lo, rec } = this;
    const n = this.size;
    const filled = new Uint32Array(n);
    for (let i = 0, o = 0; i < rec.length; i++) if (rec[i] !== 0) filled[o++] = i;
    const order = sortByKey(filled, hi);
    const fences = new Uint32Array(Math.ceil(n / BLOCK_ENTRIES));
    const bloomBlocks = Math.max(1, Math.ceil((n * BLOOM_BITS_PER_KEY) / 512));
    const filter = new Int32Array(bloomBlocks * 16);
    this.store ??= this.spill!.store();
    const chunk = new Uint8Array(Math.min(n, 64 * BLOCK_ENTRIES) * ENTRY_BYTES);
    const view = new DataView(chunk.buffer);
    let offset = -1;
    for (let start = 0; start < n; start += 64 * BLOCK_ENTRIES) {
      const end = Math.min(n, start + 64 * BLOCK_ENTRIES);
      for (let e = start; e < end; e++) {
        const slot = order[e]!;
        const h1 = hi[slot]!;
        const h2 = lo[slot]!;
        const at = (e - start) * ENTRY_BYTES;
        view.setUint32(at, h1, true);
        view.setUint32(at + 4, h2, true);
        view.setInt32(at + 8, rec[slot]!, true);
        if (e % BLOCK_ENTRIES === 0) fences[e / BLOCK_ENTRIES] = h1;
        bloom(filter, bloomBlocks, h1, h2, true);
      }
      const written = this.store.append(chunk.subarray(0, (end - start) * ENTRY_BYTES));
      if (offset < 0) offset = written;
    }
    this.runs.push({ offset, entries: n, fences, bloom: filter, bloomBlocks });
    this.spilled += n;
    this.size = 0;
    rec.fill(0);
  }

  /** The record of (h1, h2) in a run, or 0. */
  private inRuns(h1: number, h2: number): number {
    for (let r = 0; r < this.runs.length; r++) {
      const run = this.runs[r]!;
      if (!bloom(run.bloom, run.bloomBlocks, h1, h2, false)) continue;
      const found = this.searchRun(run, h1, h2);
      if (found !== 0) return found;
    }
    return 0;
  }

  private searchRun(run: Run, h1: number, h2: number): number {
    // The first block whose fence is >= h1; entries equal to h1 may start in the block before.
    const { fences } = run;
    let lo = 0;
    let hi = fences.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (fences[mid]! < h1) lo = mid + 1;
      else hi = mid;
    }
    let entry = Math.max(0, lo - 1) * BLOCK_ENTRIES;
    this.block ??= new Uint8Array(2 * BLOCK_ENTRIES * ENTRY_BYTES);
    this.blockView ??= new DataView(this.block.buffer);
    const view = this.blockView;
    while (entry < run.entries) {
      const want = Math.min(run.entries - entry, 2 * BLOCK_ENTRIES) * ENTRY_BYTES;
      const got = Math.floor(this.store!.read(run.offset + entry * ENTRY_BYTES, this.block, want) / ENTRY_BYTES);
      if (got === 0) break;
      for (let e = 0; e < got; e++) {
        const k1 = view.getUint32(e * ENTRY_BYTES, true);
        if (k1 > h1) return 0;
        if (k1 === h1 && view.getUint32(e * ENTRY_BYTES + 4, true) === h2) return view.getInt32(e * ENTRY_BYTES + 8, true);
      }
      entry += got;
    }
    return 0;
  }
}

/** The home slot: both halves of the hash mixed, then scaled to [0, cap) (the product of a
 * 32-bit value and the capacity divided by 2^32 always stays below the capacity). */
function home(h1: number, h2: number, cap: number): number {
  const mixed = (h1 ^ Math.imul(h2, 0x9e3779b1)) >>> 0;
  return Math.floor((mixed * cap) / 4294967296);
}

/** `slots` ordered by `key[slot]` (an LSD radix sort, two passes of 16 bits: linear, no
 * comparator calls for a table of millions). */
function sortByKey(slots: Uint32Array, key: Uint32Array): Uint32Array {
  let from: Uint32Array = slots;
  let to: Uint32Array = new Uint32Array(slots.length);
  for (const shift of [0, 16]) {
    const counts = new Uint32Array(65537);
    for (let i = 0; i < from.length; i++) counts[((key[from[i]!]! >>> shift) & 0xffff) + 1]!++;
    for (let d = 0; d < 65536; d++) counts[d + 1]! += counts[d]!;
    for (let i = 0; i < from.length; i++) {
      const s = from[i]!;
      to[counts[(key[s]! >>> shift) & 0xffff]!++] = s;
    }
    [from, to] = [to, from];
  }
  return from;
}

/** The Bloom filter's bits of a key, all in one 512-bit block (from h2 and a mix of both
 * halves, so independent of the fences' h1 order): set them (`add`), or whether all are set. */
function bloom(words: Int32Array, blocks: number, h1: number, h2: number, add: boolean): boolean {
  const base = Math.floor((h2 * blocks) / 4294967296) * 16;
  let x = Math.imul(h1 ^ (h2 >>> 16), 0x85ebca6b) >>> 0;
  for (let p = 0; p < BLOOM_PROBES; p++) {
    const word = base + ((x & 511) >>> 5);
    const bit = 1 << (x & 31);
    if (add) words[word]! |= bit;
    else if ((words[word]! & bit) === 0) return false;
    x = (Math.imul(x ^ (x >>> 13), 0xc2b2ae35) + p) >>> 0;
  }
  return true;
}
