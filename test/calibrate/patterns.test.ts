// The regression's patterns in bounded memory: past the limit the collector fits on a seeded
// sample of the training leads, and what it keeps is exactly that sample, counted.
import { describe, expect, it } from 'vitest';
import { levelOf, PatternCollector } from '../../src/core/calibrate/patterns.js';

/** Lead n fires feature n % distinct (so `distinct` patterns), converted when n % 3 === 0. */
function feed(c: PatternCollector, leads: number, distinct: number): void {
  for (let n = 1; n <= leads; n++) c.add([n % distinct, distinct + (n % 2)], [1, 1], n % 3 === 0);
}

describe('PatternCollector', () => {
  it('keeps every lead while the patterns fit', () => {
    const c = new PatternCollector(60, 1, 100);
    feed(c, 5000, 50);
    expect(c.level).toBe(0);
    expect(c.sampleShare).toBe(1);
    const list = c.list();
    expect(list.reduce((t, p) => t + p.pos + p.neg, 0)).toBe(5000);
    expect(list.reduce((t, p) => t + p.pos, 0)).toBe(Math.floor(5000 / 3));
  });

  it('past the limit keeps exactly the leads of the sampling level or above, all counted', () => {
    const distinct = 2000;
    const c = new PatternCollector(distinct + 2, 7, 300);
    feed(c, 20_000, distinct);
    expect(c.level).toBeGreaterThan(0);
    expect(c.size).toBeLessThanOrEqual(300);
    // The same sample, drawn directly.
    const want = new Map<string, [number, number]>();
    for (let n = 1; n <= 20_000; n++) {
      if (levelOf(n, 7) < c.level) continue;
      const key = `${n % distinct}:${n % 2}`;
      const w = want.get(key) ?? [0, 0];
      w[n % 3 === 0 ? 0 : 1]++;
      want.set(key, w);
    }
    const got = new Map(c.list().map((p) => [`${p.idx[0]}:${p.idx[1]! - distinct}`, [p.pos, p.neg]]));
    expect(got).toEqual(want);
    // About 2^-level of the leads.
    const kept = [...want.values()].reduce((t, [p, n]) => t + p + n, 0);
    expect(kept / 20_000).toBeGreaterThan(c.sampleShare * 0.8);
    expect(kept / 20_000).toBeLessThan(c.sampleShare * 1.2);
    // Support counts every lead, sampled or not.
    expect(c.support[distinct]).toBe(10_000);
  });

  it('the same seed gives the same sample; another seed another', () => {
    const run = (seed: number) => {
      const c = new PatternCollector(1002, seed, 200);
      feed(c, 10_000, 1000);
      return c.list();
    };
    expect(run(3)).toEqual(run(3));
    expect(run(4)).not.toEqual(run(3));
  });

  it('names a feature that fires on exactly the leads of an earlier one as its duplicate', () => {
    const c = new PatternCollector(3, 1);
    for (let n = 1; n <= 100; n++) c.add(n % 2 ? [0, 2] : [1], n % 2 ? [1, 1] : [1], n % 5 === 0);
    expect(c.duplicates()).toEqual(new Map([[2, 0]]));
  });
});
