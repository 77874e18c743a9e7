// The duplicate index answers like a Map from key to first record, whatever it was sized for
// (it grows past a low estimate), and an accurate estimate means it never grows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DedupIndex } from '../../src/core/scoring/dedup-index.js';

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
});
