// What the regression may use: the current rules' firings, and with --explore the file's other
// columns: numbers cut at their quantiles into "at least" steps (a step's points are the change
// from the band below, so the fitted points per band read as a scorecard), the bins then merged
// where their conversion rates break the column's trend (monotonic.ts), categorical values
// with enough support, and "is blank" where blanks are common enough. Built from counts per
// distinct value, gathered on the training part only.
import { monotonicBins, type Trend } from './monotonic.js';

/** Distinct values kept per column; beyond it a column is treated as an id or free text. */
export const MAX_DISTINCT = 5000;

export type FeatureSpec =
  | { kind: 'rule'; ruleId: string; category: 'fit' | 'engagement'; per: boolean; points: number }
  | { kind: 'atLeast'; column: number; header: string; threshold: number }
  | { kind: 'level'; column: number; header: string; value: string }
  | { kind: 'blank'; column: number; header: string };

/** Per column: counts of converted / other leads per distinct value (numbers by value, text by
 * its lower-case trimmed form), and of blank cells. */
export class ColumnStats {
  readonly values = new Map<string, [number, number]>();
  blank: [number, number] = [0, 0];
  numeric = 0;
  nonBlank = 0;
  overflow = false;
  /** Whole numbers among the values, and their range (a record number is dense and never repeats). */
  integers = 0;
  minInteger = Infinity;
  maxInteger = -Infinity;
  /** The values seen while none has repeated (null once one does); no longer filled past
   * MAX_DISTINCT, by then the column has shown itself to be a key. */
  private distinct: Set<string> | null = new Set();

  /** No value seen twice (among the first MAX_DISTINCT at least). */
  get neverRepeats(): boolean {
    return this.distinct !== null;
  }

  add(cell: string, positive: boolean): void {
    const t = cell.trim();
    const k = positive ? 0 : 1;
    if (t === '') {
      this.blank[k]++;
      return;
    }
    this.nonBlank++;
    if (this.distinct !== null) {
      if (this.distinct.has(t)) this.distinct = null;
      else if (this.distinct.size < MAX_DISTINCT) this.distinct.add(t);
    }
    const n = readNumber(t);
    let key: string;
    if (n !== undefined) {
      this.numeric++;
      if (Number.isInteger(n)) {
        this.integers++;
        if (n < this.minInteger) this.minInteger = n;
        if (n > this.maxInteger) this.maxInteger = n;
      }
      // Three significant digits: a continuous column stays within a few thousand keys.
      key = '#' + String(Number(n.toPrecision(3)));
    } else key = '=' + t.toLowerCase();
    let c = this.values.get(key);
    if (c === undefined) {
      if (this.values.size >= MAX_DISTINCT) {
        this.overflow = true;
        return;
      }
      this.values.set(key, (c = [0, 0]));
    }
    c[k]++;
  }
}

/** A plain decimal number (the explored columns' bins are written as gte rules, which read
 * such numbers the same way). */
export function readNumber(t: string): number | undefined {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

export interface ExploreOptions {
  /** Least number of training leads on each side of a step, or with a value. */
  minSupport: number;
  /** Steps per numeric column (quantiles). */
  bins: number;
  /** Values kept per categorical column at most (the best supported). */
  maxLevels: number;
}

/** How a numeric column was binned: the trend of its conversion rate and the cuts kept. */
export interface Binning {
  column: string;
  trend: Trend;
  /** Lower bounds of the bins above the first ("at least" steps). */
  cuts: number[];
  /** Quantile bins before merging. */
  quantileBins: number;
}

/** Leads of the training part a column must have for its values' never repeating to mean much. */
const KEY_MIN_VALUES = 100;
/** A record number's range is at most this many times the number of values: ids counted up
 * (with gaps for the leads not in the file), unlike amounts that merely never repeat. */
const KEY_MAX_SPREAD = 20;

/** A column of distinct whole numbers close together: a record number (lead number, row id). Its
 * bins would score leads by when they were entered, which says nothing of the next list. */
function isRecordNumber(s: ColumnStats): boolean {
  return s.neverRepeats && s.nonBlank >= KEY_MIN_VALUES && s.integers === s.nonBlank && s.maxInteger - s.minInteger + 1 <= KEY_MAX_SPREAD * s.nonBlank;
}

/** The candidate features of one column, or why it gives none. */
export function columnFeatures(column: number, header: string, s: ColumnStats, o: ExploreOptions): { features: FeatureSpec[]; skipped?: string; binning?: Binning } {
  const out: FeatureSpec[] = [];
  const blanks = s.blank[0] + s.blank[1];
  if (s.nonBlank === 0) return { features: [], skipped: 'always blank' };
  if (blanks >= o.minSupport && s.nonBlank >= o.minSupport) out.push({ kind: 'blank', column, header });
  if (s.numeric >= 0.98 * s.nonBlank) {
    if (isRecordNumber(s)) return { features: [], skipped: 'every value differs, whole numbers in sequence: a record number (an id), not a trait of the lead' };
    const nums = [...s.values.entries()].filter(([k]) => k.startsWith('#')).map(([k, [p, n]]) => ({ v: Number(k.slice(1)), c: p + n, p, n })).sort((a, b) => a.v - b.v);
    const total = nums.reduce((t, x) => t + x.c, 0);
    const cuts: number[] = [];
    let before = 0;
    let lastCut = 0;
    let q = 1;
    let spikeBefore = false;
    for (const x of nums) {
      // A cut goes before the first value past each quantile, when both sides keep enough leads.
      // A value held by a tenth of the leads or more (a sentinel such as 999) is a band of its own.
      let crossed = spikeBefore || x.c >= total / o.bins;
      spikeBefore = x.c >= total / o.bins;
      while (q < o.bins && before >= (q * total) / o.bins) {
        q++;
        crossed = true;
      }
      if (crossed && before - lastCut >= o.minSupport && total - before >= o.minSupport) {
        cuts.push(x.v);
        lastCut = before;
      }
      before += x.c;
    }
    if (cuts.length === 0 && out.length === 0) return { features: [], skipped: 'one value only' };
    // Conversions per quantile bin, then the bins merged into a monotonic trend.
    const bins = [...cuts.map(() => ({ pos: 0, neg: 0 })), { pos: 0, neg: 0 }];
    let b = 0;
    for (const x of nums) {
      while (b < cuts.length && x.v >= cuts[b]!) b++;
      bins[b]!.pos += x.p;
      bins[b]!.neg += x.n;
    }
    const merged = monotonicBins(bins);
    const kept = merged.starts.slice(1).map((i) => cuts[i - 1]!);
    for (const t of kept) out.push({ kind: 'atLeast', column, header, threshold: t });
    const binning: Binning = { column: header, trend: merged.trend, cuts: kept, quantileBins: bins.length };
    if (out.length === 0) return { features: [], skipped: `no trend in its conversion rate (${bins.length} bins merged into one)`, binning };
    return { features: out, binning };
  }
  if (s.overflow) return { features: out, skipped: `more than ${MAX_DISTINCT} distinct values (an id or free text)` };
  const levels = [...s.values.entries()]
    .filter(([k, [p, n]]) => k.startsWith('=') && p + n >= o.minSupport && s.nonBlank + blanks - (p + n) >= o.minSupport)
    .sort((a, b) => b[1][0] + b[1][1] - (a[1][0] + a[1][1]) || (a[0] < b[0] ? -1 : 1))
    .slice(0, o.maxLevels);
  for (const [k] of levels) out.push({ kind: 'level', column, header, value: k.slice(1) });
  if (out.length === 0) return { features: [], skipped: `no value held by ${o.minSupport} leads or more` };
  return { features: out };
}

/** Reads one row's explored features into idx/val (rule firings are added by the caller). */
export function compileColumnFeatures(specs: readonly FeatureSpec[]): (row: readonly string[], idx: number[], val: number[]) => void {
  const byColumn = new Map<number, { i: number; spec: FeatureSpec }[]>();
  specs.forEach((spec, i) => {
    if (spec.kind === 'rule') return;
    let l = byColumn.get(spec.column);
    if (!l) byColumn.set(spec.column, (l = []));
    l.push({ i, spec });
  });
  const cols = [...byColumn.entries()];
  return (row, idx, val) => {
    for (const [c, list] of cols) {
      const t = (row[c] ?? '').trim();
      if (t === '') {
        for (const { i, spec } of list)
          if (spec.kind === 'blank') {
            idx.push(i);
            val.push(1);
          }
        continue;
      }
      const n = readNumber(t);
      const lower = t.toLowerCase();
      for (const { i, spec } of list) {
        if ((spec.kind === 'atLeast' && n !== undefined && n >= spec.threshold) || (spec.kind === 'level' && lower === spec.value)) {
          idx.push(i);
          val.push(1);
        }
      }
    }
  };
}
