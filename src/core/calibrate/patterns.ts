// The regression's data, gathered from the training leads in one pass with bounded memory:
// each distinct feature pattern (which features a lead fires, with their values) once, with the
// number of converted and other leads that share it.
//
// Distinct patterns grow with the rows when many columns are explored (nearly every lead of a
// purchased list is its own pattern), so the collector keeps at most `maxPatterns` of them
// (30,000 by default: the regression's time grows with them). Past that it fits on a uniform
// sample of the training leads, halving the sample each time the patterns would overflow:
// every lead draws a level from a seeded hash (level ≥ l with chance
// 2^-l), counts are kept per level, and raising the level drops the lowest level's counts. The
// same file and seed give the same sample. The per-feature support and conversion counts (the
// `why` of new rules) and the signatures that find duplicate features use every training lead.
import type { Pattern } from './logistic.js';

/** Highest sampling level: 2^-24 of the leads (a sample is never emptier than that). */
const MAX_LEVEL = 24;

interface Counted extends Pattern {
  /** Leads of this pattern per level above the current one: [pos, neg] at 2(l − base). */
  byLevel: number[];
}

export class PatternCollector {
  private readonly patterns = new Map<string, Counted>();
  /** Leads of a level below this one are left out of the fit. */
  level = 0;
  /** Training leads seen, and those in the sample. */
  rows = 0;
  readonly support: Float64Array;
  readonly supportPos: Float64Array;
  readonly maxValue: Float64Array;
  // Two hashes of the rows each feature fires on: an explored value that fires on exactly the
  // rows of a rule (contact = cellular beside the rule "mobile") is the same feature twice.
  private readonly sigA: Uint32Array;
  private readonly sigB: Uint32Array;

  constructor(
    readonly nFeatures: number,
    private readonly seed: number,
    private readonly maxPatterns = 30_000,
  ) {
    this.support = new Float64Array(nFeatures);
    this.supportPos = new Float64Array(nFeatures);
    this.maxValue = new Float64Array(nFeatures);
    this.sigA = new Uint32Array(nFeatures);
    this.sigB = new Uint32Array(nFeatures);
  }

  /** One training lead: the features it fires (idx, val; any order) and its outcome. */
  add(idx: readonly number[], val: readonly number[], positive: boolean): void {
    this.rows++;
    const row = this.rows;
    const ha = Math.imul(row ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
    const hb = Math.imul(row + 0x632be5ab, 0xc2b2ae35) >>> 0;
    for (let k = 0; k < idx.length; k++) {
      const j = idx[k]!;
      const v = val[k]!;
      this.sigA[j] = (this.sigA[j]! + ha * v) >>> 0;
      this.sigB[j] = (this.sigB[j]! ^ Math.imul(hb, v + 1)) >>> 0;
      this.support[j]!++;
      if (positive) this.supportPos[j]!++;
      if (v > this.maxValue[j]!) this.maxValue[j] = v;
    }
    const level = levelOf(row, this.seed);
    if (level < this.level) return;
    const order = idx.map((_, k) => k).sort((a, b) => idx[a]! - idx[b]!);
    let key = '';
    for (const k of order) key += `${idx[k]}:${val[k]},`;
    let p = this.patterns.get(key);
    if (!p) this.patterns.set(key, (p = { idx: order.map((k) => idx[k]!), val: order.map((k) => val[k]!), pos: 0, neg: 0, byLevel: [] }));
    const at = 2 * (level - this.level) + (positive ? 0 : 1);
    while (p.byLevel.length <= at) p.byLevel.push(0);
    p.byLevel[at]!++;
    if (positive) p.pos++;
    else p.neg++;
    if (this.patterns.size > this.maxPatterns) this.raiseLevel();
  }

  /** Halves the sample until the patterns fit again. */
  private raiseLevel(): void {
    while (this.patterns.size > this.maxPatterns && this.level < MAX_LEVEL) {
      this.level++;
      for (const [key, p] of this.patterns) {
        p.pos -= p.byLevel[0] ?? 0;
        p.neg -= p.byLevel[1] ?? 0;
        p.byLevel.splice(0, 2);
        if (p.pos + p.neg === 0) this.patterns.delete(key);
      }
    }
  }

  /** Share of the training leads in the fit's sample (1 when every lead is in it). */
  get sampleShare(): number {
    return Math.pow(2, -this.level);
  }

  /** Features that fire on exactly the same leads as an earlier one, mapped to it. */
  duplicates(): Map<number, number> {
    const seen = new Map<string, number>();
    const out = new Map<number, number>();
    for (let j = 0; j < this.nFeatures; j++) {
      if (this.support[j] === 0) continue;
      const key = `${this.sigA[j]}:${this.sigB[j]}:${this.support[j]}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, j);
      else out.set(j, first);
    }
    return out;
  }

  /** The patterns, with the features in `drop` taken out. */
  list(drop: ReadonlyMap<number, number> = new Map()): Pattern[] {
    const out: Pattern[] = [];
    for (const p of this.patterns.values()) {
      if (drop.size === 0) out.push({ idx: p.idx, val: p.val, pos: p.pos, neg: p.neg });
      else {
        const keep = p.idx.map((j) => !drop.has(j));
        out.push({ idx: p.idx.filter((_, k) => keep[k]), val: p.val.filter((_, k) => keep[k]), pos: p.pos, neg: p.neg });
      }
    }
    return out;
  }

  get size(): number {
    return this.patterns.size;
  }
}

/** The sampling level of the n-th training lead: trailing zero bits of a seeded hash. */
export function levelOf(n: number, seed: number): number {
  let h = Math.imul(n ^ Math.imul(seed + 0x7f4a7c15, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  if (h === 0) return MAX_LEVEL;
  return Math.min(MAX_LEVEL, 31 - Math.clz32(h & -h));
}
