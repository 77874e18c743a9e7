// The regularised logistic regression against scikit-learn (fixtures/calibrate/reference.json,
// written by fixtures/calibrate/reference.py): same design, same penalty, same coefficients.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitLogistic, fitRidgeNewton, lassoPath, type Design, type Pattern } from '../../src/core/calibrate/logistic.js';

interface Reference {
  features: string[];
  X: number[][];
  y: number[];
  fits: { C: number; l1_ratio: number; intercept: number; coef: number[] }[];
}
const ref = JSON.parse(readFileSync(new URL('../../fixtures/calibrate/reference.json', import.meta.url), 'utf8')) as Reference;

/** The rows aggregated into distinct patterns, as calibrate does. */
function design(): Design {
  const map = new Map<string, Pattern>();
  ref.X.forEach((x, i) => {
    const idx: number[] = [];
    const val: number[] = [];
    x.forEach((v, j) => {
      if (v !== 0) {
        idx.push(j);
        val.push(v);
      }
    });
    const key = x.join(',');
    let p = map.get(key);
    if (!p) map.set(key, (p = { idx, val, pos: 0, neg: 0 }));
    if (ref.y[i] === 1) p.pos++;
    else p.neg++;
  });
  return { patterns: [...map.values()], nFeatures: ref.features.length };
}

describe('fitLogistic against scikit-learn', () => {
  const d = design();
  const W = ref.y.length;
  it('aggregates 400 rows into fewer patterns', () => expect(d.patterns.length).toBeLessThan(W));
  it.each(ref.fits)('C=$C l1_ratio=$l1_ratio: same intercept and coefficients (to 1e-4), same zeros', (f) => {
    const fit = fitLogistic(d, { lambda: 1 / (f.C * W), alpha: f.l1_ratio, tol: 1e-12 });
    expect(fit.intercept).toBeCloseTo(f.intercept, 4);
    f.coef.forEach((c, j) => {
      expect(fit.coef[j]!, ref.features[j]).toBeCloseTo(c, 4);
      if (c === 0) expect(fit.coef[j], `${ref.features[j]} is zero in scikit-learn`).toBe(0);
    });
  });
  it("fitRidgeNewton on every feature matches scikit-learn's ridge fit", () => {
    const f = ref.fits.find((x) => x.l1_ratio === 0)!;
    const fit = fitRidgeNewton(d, ref.features.map((_, j) => j), 1 / (f.C * W));
    expect(fit.intercept).toBeCloseTo(f.intercept, 5);
    f.coef.forEach((c, j) => expect(fit.coef[j]!).toBeCloseTo(c, 5));
  });
  it('the lasso path starts empty and never holds more than maxNonZero features', () => {
    const path = lassoPath(d, { alpha: 1, maxNonZero: 3 });
    expect(path[0]!.nonZero).toBe(0);
    expect(path.length).toBeGreaterThan(1);
    for (const s of path) expect(s.nonZero).toBeLessThanOrEqual(3);
    expect(path[path.length - 1]!.nonZero).toBeGreaterThan(0);
  });
});
