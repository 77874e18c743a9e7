// Ranking statistics from aggregated counts (see histogram.ts): ROC AUC with ties, its bootstrap
// interval, Gini, KS, the lift table by score band, the capacity view, the reliability table and
// the population stability index. Pure functions over bins sorted by ascending score.
import { totals, type ScoreBin } from './histogram.js';
import { poisson, seededRandom } from './random.js';

/**
 * ROC AUC: the probability that a random converted lead scores above a random other one, a tie
 * counting one half (the Mann-Whitney statistic). NaN when either class is empty.
 */
export function auc(bins: readonly ScoreBin[]): number {
  const { pos, neg } = totals(bins);
  if (pos === 0 || neg === 0) return NaN;
  let negBelow = 0;
  let sum = 0;
  for (const b of bins) {
    sum += b.pos * (negBelow + b.neg / 2);
    negBelow += b.neg;
  }
  return sum / (pos * neg);
}

/** Gini coefficient (accuracy ratio) = 2·AUC − 1. */
export function gini(bins: readonly ScoreBin[]): number {
  return 2 * auc(bins) - 1;
}

/**
 * Kolmogorov-Smirnov statistic: the largest gap between the share of converted leads and the
 * share of the others at or below a score (ties move together), with the score where it is.
 */
export function ks(bins: readonly ScoreBin[]): { ks: number; at: number | null } {
  const { pos, neg } = totals(bins);
  if (pos === 0 || neg === 0) return { ks: NaN, at: null };
  let cp = 0;
  let cn = 0;
  let best = 0;
  let at: number | null = null;
  for (const b of bins) {
    cp += b.pos;
    cn += b.neg;
    const gap = Math.abs(cn / neg - cp / pos);
    if (gap > best + 1e-12) {
      best = gap;
      at = b.score;
    }
  }
  return { ks: best, at };
}

/**
 * Percentile interval of the AUC over `reps` Poisson-bootstrap resamples of the bins (each
 * count redrawn as Poisson(count), the usual streaming form of the bootstrap), from `seed`.
 */
export function aucInterval(bins: readonly ScoreBin[], opts: { reps?: number; seed?: number; level?: number } = {}): { low: number; high: number } {
  const reps = opts.reps ?? 1000;
  const level = opts.level ?? 0.95;
  const rand = seededRandom(opts.seed ?? 1);
  const values: number[] = [];
  const sample: ScoreBin[] = bins.map((b) => ({ ...b }));
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < bins.length; i++) {
      sample[i]!.pos = poisson(rand, bins[i]!.pos);
      sample[i]!.neg = poisson(rand, bins[i]!.neg);
    }
    const a = auc(sample);
    if (!Number.isNaN(a)) values.push(a);
  }
  if (values.length === 0) return { low: NaN, high: NaN };
  values.sort((a, b) => a - b);
  const q = (p: number) => values[Math.min(values.length - 1, Math.max(0, Math.floor(p * values.length)))]!;
  return { low: q((1 - level) / 2), high: q(1 - (1 - level) / 2) };
}

export interface LiftRow {
  /** 1 = the highest scores. */
  band: number;
  minScore: number;
  maxScore: number;
  leads: number;
  conversions: number;
  rate: number;
  /** rate ÷ the base rate. */
  lift: number;
  /** Share of all conversions in this band and the bands above it. */
  cumulativeCapture: number;
}

/**
 * The lift table: leads ordered by score, highest first, cut into `bands` bands of about equal
 * size (deciles by default). A score is never split between two bands, so with ties a band
 * holds more or fewer leads than n/bands, and there may be fewer bands: a lead goes to the band
 * where the middle of its score's run falls.
 */
export function liftTable(bins: readonly ScoreBin[], bands = 10): LiftRow[] {
  const { pos, n } = totals(bins);
  if (n === 0) return [];
  const base = pos / n;
  const desc = [...bins].reverse();
  const rows: LiftRow[] = [];
  let before = 0;
  let capture = 0;
  for (const b of desc) {
    const count = b.pos + b.neg;
    if (count === 0) continue;
    const mid = (before + count / 2) / n;
    const band = Math.min(bands, Math.floor(mid * bands) + 1);
    let row = rows[rows.length - 1];
    if (!row || row.band !== band) {
      row = { band, minScore: b.score, maxScore: b.score, leads: 0, conversions: 0, rate: 0, lift: 0, cumulativeCapture: 0 };
      rows.push(row);
    }
    row.minScore = b.score;
    row.leads += count;
    row.conversions += b.pos;
    before += count;
  }
  for (const r of rows) {
    r.rate = r.conversions / r.leads;
    r.lift = base > 0 ? r.rate / base : NaN;
    capture += r.conversions;
    r.cumulativeCapture = pos > 0 ? capture / pos : NaN;
  }
  return rows;
}

/**
 * The capacity view: the share of all conversions held by the top `fraction` of leads by score.
 * Leads tied at the cut count pro rata (what a random order among equals would give on average).
 */
export function captureAt(bins: readonly ScoreBin[], fraction: number): { leads: number; conversions: number; share: number; minScore: number | null } {
  const { pos, n } = totals(bins);
  const want = fraction * n;
  let taken = 0;
  let conv = 0;
  let minScore: number | null = null;
  for (let i = bins.length - 1; i >= 0 && taken < want - 1e-9; i--) {
    const b = bins[i]!;
    const count = b.pos + b.neg;
    if (count === 0) continue;
    const part = Math.min(1, (want - taken) / count);
    taken += part * count;
    conv += part * b.pos;
    minScore = b.score;
  }
  return { leads: taken, conversions: conv, share: pos > 0 ? conv / pos : NaN, minScore };
}

/** A one-variable logistic curve p = 1 / (1 + e^−(a + b·score)), fitted to the bins by Newton's
 * method: turns any score into a predicted conversion rate for the reliability table. */
export function fitScoreCurve(bins: readonly ScoreBin[]): { a: number; b: number } {
  const { pos, n } = totals(bins);
  if (n === 0 || pos === 0 || pos === n) return { a: Math.log((pos + 0.5) / (n - pos + 0.5)), b: 0 };
  // Centre and scale the score for a well-conditioned Newton step.
  let mean = 0;
  for (const x of bins) mean += x.score * (x.pos + x.neg);
  mean /= n;
  let varS = 0;
  for (const x of bins) varS += (x.score - mean) ** 2 * (x.pos + x.neg);
  const sd = Math.sqrt(varS / n) || 1;
  let a = Math.log(pos / (n - pos));
  let b = 0;
  for (let it = 0; it < 100; it++) {
    let g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0;
    for (const x of bins) {
      const s = (x.score - mean) / sd;
      const p = 1 / (1 + Math.exp(-(a + b * s)));
      const w = (x.pos + x.neg) * p * (1 - p);
      g0 += x.pos - (x.pos + x.neg) * p;
      g1 += s * (x.pos - (x.pos + x.neg) * p);
      h00 += w;
      h01 += w * s;
      h11 += w * s * s;
    }
    const det = h00 * h11 - h01 * h01;
    if (!(det > 1e-12)) break;
    const da = (h11 * g0 - h01 * g1) / det;
    const db = (h00 * g1 - h01 * g0) / det;
    a += da;
    b += db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { a: a - (b * mean) / sd, b: b / sd };
}

export interface ReliabilityRow {
  minScore: number;
  maxScore: number;
  leads: number;
  predicted: number;
  observed: number;
}

/** Predicted against observed conversion rate by score band (the bands of liftTable), the
 * prediction from a curve fitted elsewhere (on the training part). */
export function reliabilityTable(bins: readonly ScoreBin[], curve: { a: number; b: number }, bands = 10): ReliabilityRow[] {
  const rows = liftTable(bins, bands);
  return rows.map((r) => {
    let predicted = 0;
    for (const b of bins) if (b.score >= r.minScore && b.score <= r.maxScore) predicted += (b.pos + b.neg) / (1 + Math.exp(-(curve.a + curve.b * b.score)));
    return { minScore: r.minScore, maxScore: r.maxScore, leads: r.leads, predicted: predicted / r.leads, observed: r.rate };
  });
}

/** Population stability index between two distributions over the same bins (counts). A bin
 * empty on one side counts as holding 0.0001 of it, the usual convention, so PSI stays finite. */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  const e = expected.reduce((s, x) => s + x, 0);
  const a = actual.reduce((s, x) => s + x, 0);
  if (e === 0 || a === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const pe = Math.max(expected[i]! / e, 1e-4);
    const pa = Math.max((actual[i] ?? 0) / a, 1e-4);
    sum += (pa - pe) * Math.log(pa / pe);
  }
  return sum;
}

/** The usual reading of a PSI: below 0.1 stable, 0.1 to 0.25 watch, above 0.25 shifted. */
export function psiBand(value: number): 'stable' | 'watch' | 'shifted' {
  return value < 0.1 ? 'stable' : value <= 0.25 ? 'watch' : 'shifted';
}

/** Wilson score interval of a proportion (95%): well-behaved for small counts and rates near 0. */
export function wilson(successes: number, n: number, z = 1.959964): { low: number; high: number } {
  if (n === 0) return { low: NaN, high: NaN };
  const p = successes / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
