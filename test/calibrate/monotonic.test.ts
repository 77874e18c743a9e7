// Monotonic binning (--explore's numeric columns): bins that break the trend of the conversion
// rate are merged; a peak or valley is kept only when the data clearly show one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ColumnStats, columnFeatures } from '../../src/core/calibrate/features.js';
import { monotonicBins, type BinCount } from '../../src/core/calibrate/monotonic.js';

/** Bins of n leads each at the given conversion rates. */
const at = (n: number, ...rates: number[]): BinCount[] => rates.map((r) => ({ pos: Math.round(n * r), neg: n - Math.round(n * r) }));

/** The merged bins' rates, from the starts. */
function mergedRates(bins: readonly BinCount[], starts: readonly number[]): number[] {
  return starts.map((s, k) => {
    const part = bins.slice(s, starts[k + 1] ?? bins.length);
    const pos = part.reduce((t, b) => t + b.pos, 0);
    return pos / part.reduce((t, b) => t + b.pos + b.neg, 0);
  });
}

describe('monotonicBins', () => {
  it.each([
    ['rising rates stay as they are', at(100, 0.1, 0.2, 0.3), 'ascending', [0, 1, 2]],
    ['falling rates stay as they are', at(100, 0.4, 0.2, 0.1), 'descending', [0, 1, 2]],
    ['a dip in a rise is merged with the bin before it', at(100, 0.1, 0.3, 0.2, 0.4), 'ascending', [0, 1, 3]],
    ['two bins with the same rate are one step', at(100, 0.1, 0.2, 0.2, 0.3), 'ascending', [0, 1, 3]],
    ['a bump in a fall is merged', at(100, 0.5, 0.3, 0.35, 0.1), 'descending', [0, 1, 3]],
    ['no trend at all: one bin', at(100, 0.2, 0.2, 0.2), 'flat', [0]],
    ['a clear valley (a U-shaped age) keeps its shape', at(2000, 0.3, 0.12, 0.06, 0.12, 0.3), 'valley', [0, 1, 2, 3, 4]],
    ['a clear peak keeps its shape', at(2000, 0.05, 0.2, 0.3, 0.1), 'peak', [0, 1, 2, 3]],
    // 30 leads a bin: the wiggle is noise, so the column becomes monotonic.
    ['a slight valley on few leads becomes monotonic', at(30, 0.2, 0.1, 0.2, 0.3, 0.4), 'ascending', [0, 2, 3, 4]],
    ['no bins', [], 'flat', []],
  ] as const)('%s', (_name, bins, trend, starts) => {
    const got = monotonicBins(bins);
    expect(got.trend).toBe(trend);
    expect(got.starts).toEqual(starts);
  });

  it('the merged rates follow the trend named, strictly, for any counts (property)', () => {
    const bin = fc.record({ pos: fc.integer({ min: 0, max: 200 }), neg: fc.integer({ min: 0, max: 200 }) }).filter((b) => b.pos + b.neg > 0);
    fc.assert(
      fc.property(fc.array(bin, { minLength: 1, maxLength: 12 }), (bins) => {
        const { trend, starts } = monotonicBins(bins);
        expect(starts[0]).toBe(0);
        for (let k = 1; k < starts.length; k++) expect(starts[k]).toBeGreaterThan(starts[k - 1]!);
        const r = mergedRates(bins, starts);
        const up = (a: number, b: number) => a < b;
        const down = (a: number, b: number) => a > b;
        if (trend === 'flat') expect(starts).toEqual([0]);
        if (trend === 'ascending') for (let k = 1; k < r.length; k++) expect(up(r[k - 1]!, r[k]!)).toBe(true);
        if (trend === 'descending') for (let k = 1; k < r.length; k++) expect(down(r[k - 1]!, r[k]!)).toBe(true);
        if (trend === 'peak' || trend === 'valley') {
          // One turn: the direction of the steps changes once.
          const dirs = r.slice(1).map((x, k) => Math.sign(x - r[k]!)).filter((d) => d !== 0);
          const changes = dirs.slice(1).filter((d, k) => d !== dirs[k]).length;
          expect(changes).toBeLessThanOrEqual(1);
          expect(r.length).toBeGreaterThanOrEqual(3);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('columnFeatures on a numeric column', () => {
  it('cuts at the quantiles, then keeps only the cuts where the rate keeps rising', () => {
    // 1000 leads, values 0..99 ten each; the conversion rate rises with the value except a dip
    // at 40..59, which the merge must absorb.
    const s = new ColumnStats();
    for (let v = 0; v < 100; v++) {
      const rate = v >= 40 && v < 60 ? 0.1 : 0.05 + v / 250;
      for (let i = 0; i < 10; i++) s.add(String(v), i < Math.round(rate * 10 + (v % 2) * 0.5));
    }
    const got = columnFeatures(3, 'visits', s, { minSupport: 30, bins: 10, maxLevels: 30 });
    expect(got.binning?.quantileBins).toBe(10);
    expect(got.binning?.trend).toBe('ascending');
    const cuts = got.features.map((f) => (f.kind === 'atLeast' ? f.threshold : NaN));
    expect(cuts).toEqual(got.binning?.cuts);
    expect(cuts.length).toBeLessThan(9);
    // The rates of the kept bins rise.
    const rates = [-Infinity, ...cuts].map((lo, k) => {
      const hi = cuts[k] ?? Infinity;
      let p = 0;
      let n = 0;
      for (const [key, [a, b]] of s.values) {
        const v = Number(key.slice(1));
        if (v >= lo && v < hi) {
          p += a;
          n += a + b;
        }
      }
      return p / n;
    });
    for (let k = 1; k < rates.length; k++) expect(rates[k]!).toBeGreaterThan(rates[k - 1]!);
  });

  it('a numeric column with no trend gives no steps, and says why', () => {
    const s = new ColumnStats();
    for (let v = 0; v < 100; v++) for (let i = 0; i < 10; i++) s.add(String(v), i < 2);
    const got = columnFeatures(0, 'noise', s, { minSupport: 30, bins: 10, maxLevels: 30 });
    expect(got.features).toEqual([]);
    expect(got.skipped).toMatch(/no trend/);
    expect(got.binning?.trend).toBe('flat');
  });
});
