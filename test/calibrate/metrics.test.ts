// Ranking statistics against values computed by hand (in the comments), and against brute force.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScoreHistogram, type ScoreBin } from '../../src/core/calibrate/histogram.js';
import { auc, aucInterval, captureAt, fitScoreCurve, gini, ks, liftTable, psi, psiBand, reliabilityTable, wilson } from '../../src/core/calibrate/metrics.js';
import { StratifiedSplit } from '../../src/core/calibrate/split.js';
import { columnPsi } from '../../src/core/calibrate/drift.js';
import { ColumnStats } from '../../src/core/calibrate/features.js';

// Six leads: scores 1, 1 (not converted), 2 (converted), 2 (not), 3, 3 (converted).
const six: ScoreBin[] = [
  { score: 1, pos: 0, neg: 2 },
  { score: 2, pos: 1, neg: 1 },
  { score: 3, pos: 2, neg: 0 },
];

describe('AUC, Gini, KS by hand', () => {
  it('AUC counts a tie as one half: (2 + ½ + 3 + 3) / 9 = 8.5/9', () => expect(auc(six)).toBeCloseTo(8.5 / 9, 12));
  it('Gini = 2·AUC − 1 = 8/9', () => expect(gini(six)).toBeCloseTo(8 / 9, 12));
  it('KS: at score 1, 2/3 of the others and none of the converted → 2/3', () => expect(ks(six)).toEqual({ ks: expect.closeTo(2 / 3, 12) as number, at: 1 }));
  it('all tied → AUC 0.5, KS 0', () => {
    const tied = [{ score: 5, pos: 3, neg: 7 }];
    expect(auc(tied)).toBe(0.5);
    expect(ks(tied).ks).toBe(0);
  });
  it('one class only → NaN, not a number that looks like a measure', () => expect(auc([{ score: 1, pos: 4, neg: 0 }])).toBeNaN());
  it('AUC equals the brute-force pair count (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean()), { minLength: 2, maxLength: 60 }), (leads) => {
        const h = new ScoreHistogram();
        for (const [s, y] of leads) h.add(s, y);
        const pos = leads.filter((l) => l[1]);
        const neg = leads.filter((l) => !l[1]);
        fc.pre(pos.length > 0 && neg.length > 0);
        let wins = 0;
        for (const p of pos) for (const n of neg) wins += p[0] > n[0] ? 1 : p[0] === n[0] ? 0.5 : 0;
        expect(auc(h.bins())).toBeCloseTo(wins / (pos.length * neg.length), 12);
      }),
    );
  });
});

describe('lift table, capacity, reliability by hand', () => {
  it('two bands: score 3 (2 leads, both converted: rate 1, lift 2), then scores 1..2 (4 leads, 1 converted)', () => {
    expect(liftTable(six, 2)).toEqual([
      { band: 1, minScore: 3, maxScore: 3, leads: 2, conversions: 2, rate: 1, lift: 2, cumulativeCapture: 2 / 3 },
      { band: 2, minScore: 1, maxScore: 2, leads: 4, conversions: 1, rate: 0.25, lift: 0.5, cumulativeCapture: 1 },
    ]);
  });
  it('the top half holds 2.5 of the 3 conversions: the two 3s, and half of the tied 2s', () => {
    const c = captureAt(six, 0.5);
    expect(c.leads).toBeCloseTo(3, 12);
    expect(c.conversions).toBeCloseTo(2.5, 12);
    expect(c.share).toBeCloseTo(2.5 / 3, 12);
    expect(c.minScore).toBe(2);
  });
  it('a curve fitted to its own bins predicts the observed total', () => {
    const curve = fitScoreCurve(six);
    expect(curve.b).toBeGreaterThan(0);
    const rows = reliabilityTable(six, curve, 1);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.predicted).toBeCloseTo(0.5, 6); // logistic regression with an intercept matches the mean
    expect(rows[0]!.observed).toBe(0.5);
  });
});

describe('PSI, Wilson interval, bootstrap', () => {
  it('PSI of 50/50 against 25/75: (−0.25)·ln 0.5 + 0.25·ln 1.5 = 0.27465', () => {
    expect(psi([50, 50], [25, 75])).toBeCloseTo(0.25 * Math.log(2) + 0.25 * Math.log(1.5), 12);
    expect(psiBand(0.27465)).toBe('shifted');
    expect(psiBand(0.05)).toBe('stable');
    expect(psiBand(0.2)).toBe('watch');
  });
  it('PSI of the same distribution is 0; an empty bin stays finite', () => {
    expect(psi([10, 20, 30], [1, 2, 3])).toBeCloseTo(0, 12);
    expect(Number.isFinite(psi([10, 0], [5, 5]))).toBe(true);
  });
  it('Wilson 95% interval of 5 of 10 is 0.2366..0.7634', () => {
    const w = wilson(5, 10);
    expect(w.low).toBeCloseTo(0.2366, 4);
    expect(w.high).toBeCloseTo(0.7634, 4);
  });
  it('the bootstrap interval holds the AUC and is reproducible from its seed', () => {
    const bins: ScoreBin[] = Array.from({ length: 20 }, (_, s) => ({ score: s, pos: s + 1, neg: 21 - s }));
    const a = aucInterval(bins, { seed: 3, reps: 300 });
    expect(a.low).toBeLessThan(auc(bins));
    expect(a.high).toBeGreaterThan(auc(bins));
    expect(aucInterval(bins, { seed: 3, reps: 300 })).toEqual(a);
    expect(aucInterval(bins, { seed: 4, reps: 300 })).not.toEqual(a);
  });
});

describe('stratified split', () => {
  const run = (seed: number) => {
    const s = new StratifiedSplit(0.3, seed);
    const picks: boolean[] = [];
    for (let i = 0; i < 2000; i++) picks.push(s.isHoldout(i % 10 === 0 ? 'yes' : 'no'));
    return picks;
  };
  it('holds out 30% of each outcome, to the lead', () => {
    const picks = run(1);
    const yes = picks.filter((_, i) => i % 10 === 0);
    const no = picks.filter((_, i) => i % 10 !== 0);
    expect(yes.filter(Boolean).length).toBe(60);
    expect(no.filter(Boolean).length).toBe(540);
  });
  it('the same seed gives the same split, another seed another', () => {
    expect(run(1)).toEqual(run(1));
    expect(run(2)).not.toEqual(run(1));
  });
  it('a share that is not a multiple of 1/20 is met over the blocks (0.33 of 1000 → 330)', () => {
    const s = new StratifiedSplit(0.33, 9);
    let n = 0;
    for (let i = 0; i < 1000; i++) if (s.isHoldout('x')) n++;
    expect(n).toBe(330);
  });
});

describe('drift: PSI of a column', () => {
  const stats = (cells: string[]) => {
    const s = new ColumnStats();
    for (const c of cells) s.add(c, false);
    return s;
  };
  it('text values: 50/50 against 25/75 is the PSI by hand (blank and "other" bins empty on both sides drop out)', () => {
    const r = columnPsi(stats([...Array(50).fill('a'), ...Array(50).fill('b')]), stats([...Array(25).fill('A '), ...Array(75).fill('b')]));
    expect(r.bins).toBe(2);
    expect(r.psi).toBeCloseTo(0.25 * Math.log(2) + 0.25 * Math.log(1.5), 12);
  });
  it('numbers: the same distribution is stable, a shifted one is shifted', () => {
    const base = stats(Array.from({ length: 1000 }, (_, i) => String(i % 100)));
    expect(psiBand(columnPsi(base, stats(Array.from({ length: 500 }, (_, i) => String(i % 100)))).psi)).toBe('stable');
    expect(psiBand(columnPsi(base, stats(Array.from({ length: 500 }, (_, i) => String(50 + (i % 100))))).psi)).toBe('shifted');
  });
});
