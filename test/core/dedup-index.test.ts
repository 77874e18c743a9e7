// The duplicate index answers like a Map from key to first record, whatever it was sized for
// (it grows past a low estimate), and an accurate estimate means it never grows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DedupIndex, ENTRY_BYTES, type DedupRunStore } from '../../src/core/scoring/dedup-index.js';

/** The runs in memory, as the temp file holds them (append-only bytes, read at an offset). */
function memoryStore(): DedupRunStore & { bytes: () => number; reads: number } {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let data = new Uint8Array(0);
  const store = {
    reads: 0,
    append(bytes: Uint8Array) {
      chunks.push(bytes.slice());
      const at = size;
      size += bytes.length;
      return at;
    },
    read(offset: number, into: Uint8Array, length: number) {
      store.reads++;
      if (data.length !== size) {
        data = new Uint8Array(size);
        let o = 0;
        for (const c of chunks) {
          data.set(c, o);
          o += c.length;
        }
      }
      const n = Math.max(0, Math.min(length, size - offset));
      into.set(data.subarray(offset, offset + n));
      return n;
    },
    bytes: () => size,
  };
  return store;
}

describe('DedupIndex', () => {
  it('gives the first record of each key, like a Map, for any expected size (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }), { maxLength: 400 }),
        fc.integer({ min: 0, max: 500 }),
        (keys, expected) => {
          const index = new DedupIndex(expected);
          const first = new Map<string, number>();
          keys.forEach((key, i) => {
            const record = i + 1;
            const got = index.firstOrAdd(key, record);
            expect(got).toBe(first.get(key) ?? 0);
            if (!first.has(key)) first.set(key, record);
          });
          expect(index.count).toBe(first.size);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('grows past a low estimate and keeps every key', () => {
    const index = new DedupIndex(10);
    const before = index.capacity;
    for (let i = 1; i <= 50_000; i++) expect(index.firstOrAdd(`lead${i}@example.com`, i)).toBe(0);
    expect(index.capacity).toBeGreaterThan(before);
    for (let i = 1; i <= 50_000; i += 997) expect(index.firstOrAdd(`lead${i}@example.com`, 60_000)).toBe(i);
  });

  it('sized for the rows it gets, it never grows (no old and new table held at once)', () => {
    const index = new DedupIndex(50_000);
    const capacity = index.capacity;
    expect(capacity * 12).toBeLessThan(50_000 * 12 * 1.4); // about 16 bytes a key, not 24-48
    for (let i = 1; i <= 50_000; i++) index.firstOrAdd(`lead${i}@example.com`, i);
    expect(index.capacity).toBe(capacity);
  });

  it('with a run store, answers like a Map for any table size, keys repeated across runs (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 4 }), fc.integer({ min: 0, max: 3000 }).map((n) => `lead${n}@example.com`)), { maxLength: 3000 }),
        fc.integer({ min: 1, max: 700 }),
        fc.integer({ min: 0, max: 5000 }),
        (keys, memoryKeys, expected) => {
          let made = 0;
          const store = memoryStore();
          const index = new DedupIndex(expected, { memoryKeys, store: () => (made++, store) });
          const first = new Map<string, number>();
          keys.forEach((key, i) => {
            const record = i + 1;
            expect(index.firstOrAdd(key, record)).toBe(first.get(key) ?? 0);
            if (!first.has(key)) first.set(key, record);
          });
          expect(index.count).toBe(first.size);
          // The store is made once, when the table first fills (memoryKeys keys), and holds each key
          // handed over once.
          expect(made).toBe(index.runCount > 0 ? 1 : 0);
          expect(store.bytes()).toBe(ENTRY_BYTES * Math.floor(first.size / memoryKeys) * memoryKeys);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('at 200k keys with a table of 10k: 20 runs, the table never grows, and a key new to all of them rarely reads a block', () => {
    const store = memoryStore();
    const index = new DedupIndex(200_000, { memoryKeys: 10_000, store: () => store });
    const capacity = index.capacity;
    expect(capacity).toBeLessThan(10_000 * 1.4);
    for (let i = 1; i <= 200_000; i++) expect(index.firstOrAdd(`lead${i}@example.com`, i)).toBe(0);
    expect(index.runCount).toBe(20);
    expect(index.capacity).toBe(capacity);
    // The Bloom filters rule out most runs: 20 runs checked for each of 190k new keys, about 1% reads.
    expect(store.reads).toBeLessThan(200_000 * 20 * 0.02);
    // Every earlier key is found, whichever run holds it.
    for (let i = 1; i <= 200_000; i += 7) expect(index.firstOrAdd(`lead${i}@example.com`, 300_000)).toBe(i);
  });
});
