// `qualify diff OLD NEW FILE` as an accumulator: each lead's result under the old and the new
// rules goes in, the transition matrices of tiers and stages, the leads that cross the sales
// threshold (with the rules whose points moved them) and the conversions per move come out.
// Memory: the matrices, plus the crossing leads up to MAX_LISTED (the rest are counted).
import type { ScoreResult } from '../scoring/engine.js';

/** Stages that hand a lead to sales: crossing into or out of them is what a rules change risks. */
export const SALES_STAGES: ReadonlySet<string> = new Set(['MQL', 'sales lead']);
export const MAX_LISTED = 1000;

export interface RuleMove {
  rule: string;
  old: number | null;
  new: number | null;
}

export interface Crossing {
  record: number;
  lead: string;
  direction: 'up' | 'down';
  old: { score: number; tier: string; stage: string };
  new: { score: number; tier: string; stage: string };
  /** Rules whose points (or verdict) differ between the two runs, the largest change first. */
  rules: RuleMove[];
  converted?: boolean;
}

export interface Matrix {
  /** Row and column labels (old rules in rows, new in columns). */
  labels: string[];
  counts: number[][];
  /** With an outcome: converted leads per cell. */
  converted?: number[][];
}

export interface DiffReport {
  leads: number;
  changed: { score: number; tier: number; stage: number };
  tiers: Matrix;
  stages: Matrix;
  crossings: { up: number; down: number; listed: Crossing[]; truncated: boolean };
  /** With an outcome: the off-diagonal tier moves that carry converted leads. */
  conversionMoves?: { from: string; to: string; leads: number; converted: number }[];
  /** Rules that change every lead's score alike (an offset such as calibrate's base-points):
   * they move no lead against another, so they are left out of each crossing's rules. */
  sameForEvery: RuleMove[];
}

/** Per rule, over every lead of one run: the leads it gave points to and whether they were the
 * same points each time (null once they differ). */
interface Uniform {
  leads: number;
  points: number | null;
}

type Cell = [number, number];

export class DiffAccumulator {
  private readonly tierCells = new Map<string, Cell>();
  private readonly stageCells = new Map<string, Cell>();
  private leads = 0;
  private scoreChanged = 0;
  private tierChanged = 0;
  private stageChanged = 0;
  private up = 0;
  private down = 0;
  private readonly listed: Crossing[] = [];
  private withOutcome = false;
  private readonly uniform: [Map<string, Uniform>, Map<string, Uniform>] = [new Map(), new Map()];

  constructor(
    private readonly tierOrder: readonly string[],
    private readonly stageOrder: readonly string[],
  ) {}

  add(a: ScoreResult, b: ScoreResult, lead: string, converted?: boolean): void {
    this.leads++;
    if (converted !== undefined) this.withOutcome = true;
    const y = converted === true ? 1 : 0;
    track(this.uniform[0], a);
    track(this.uniform[1], b);
    bump(this.tierCells, `${a.tier}\u0000${b.tier}`, y);
    bump(this.stageCells, `${a.stage}\u0000${b.stage}`, y);
    if (a.score !== b.score) this.scoreChanged++;
    if (a.tier !== b.tier) this.tierChanged++;
    if (a.stage !== b.stage) this.stageChanged++;
    const wasSales = SALES_STAGES.has(a.stage);
    const isSales = SALES_STAGES.has(b.stage);
    if (wasSales === isSales) return;
    if (isSales) this.up++;
    else this.down++;
    if (this.listed.length >= MAX_LISTED) return;
    this.listed.push({
      record: a.record,
      lead,
      direction: isSales ? 'up' : 'down',
      old: { score: a.score, tier: a.tier, stage: a.stage },
      new: { score: b.score, tier: b.tier, stage: b.stage },
      rules: ruleMoves(a, b),
      ...(converted !== undefined ? { converted } : {}),
    });
  }

  /** Rules that give every lead the same points in each run (or none in one of them), and
   * differ between the runs. */
  private sameForEvery(): RuleMove[] {
    const out: RuleMove[] = [];
    const [a, b] = this.uniform;
    for (const rule of new Set([...a.keys(), ...b.keys()])) {
      const side = (m: Map<string, Uniform>): { ok: boolean; points: number | null } => {
        const u = m.get(rule);
        if (u === undefined) return { ok: true, points: null };
        return { ok: u.leads === this.leads && u.points !== null, points: u.points };
      };
      const o = side(a);
      const n = side(b);
      if (o.ok && n.ok && o.points !== n.points) out.push({ rule, old: o.points, new: n.points });
    }
    return out.sort((x, y) => (x.rule < y.rule ? -1 : 1));
  }

  report(): DiffReport {
    const tiers = matrix(this.tierCells, this.tierOrder, this.withOutcome);
    const sameForEvery = this.sameForEvery();
    const skip = new Set(sameForEvery.map((m) => m.rule));
    const listed = skip.size === 0 ? this.listed : this.listed.map((x) => ({ ...x, rules: x.rules.filter((m) => !skip.has(m.rule)) }));
    const out: DiffReport = {
      leads: this.leads,
      changed: { score: this.scoreChanged, tier: this.tierChanged, stage: this.stageChanged },
      tiers,
      stages: matrix(this.stageCells, this.stageOrder, this.withOutcome),
      crossings: { up: this.up, down: this.down, listed, truncated: this.up + this.down > this.listed.length },
      sameForEvery,
    };
    if (this.withOutcome) {
      const moves: NonNullable<DiffReport['conversionMoves']> = [];
      tiers.labels.forEach((from, i) =>
        tiers.labels.forEach((to, j) => {
          if (i !== j && tiers.converted![i]![j]! > 0) moves.push({ from, to, leads: tiers.counts[i]![j]!, converted: tiers.converted![i]![j]! });
        }),
      );
      out.conversionMoves = moves.sort((x, y) => y.converted - x.converted);
    }
    return out;
  }
}

function track(m: Map<string, Uniform>, r: ScoreResult): void {
  // A rule's points on this lead (a rule can give several reasons, one per unit).
  const sums = new Map<string, number>();
  for (const x of r.reasons) sums.set(x.rule, (sums.get(x.rule) ?? 0) + x.points);
  for (const [rule, points] of sums) {
    const u = m.get(rule);
    if (u === undefined) m.set(rule, { leads: 1, points });
    else {
      u.leads++;
      if (u.points !== points) u.points = null;
    }
  }
}

function bump(m: Map<string, Cell>, key: string, converted: number): void {
  let c = m.get(key);
  if (!c) m.set(key, (c = [0, 0]));
  c[0]++;
  c[1] += converted;
}

function matrix(cells: Map<string, Cell>, order: readonly string[], withOutcome: boolean): Matrix {
  const seen = new Set<string>();
  for (const k of cells.keys()) for (const l of k.split('\u0000')) seen.add(l);
  const labels = [...order.filter((l) => seen.has(l)), ...[...seen].filter((l) => !order.includes(l)).sort()];
  const counts = labels.map((a) => labels.map((b) => cells.get(`${a}\u0000${b}`)?.[0] ?? 0));
  return withOutcome ? { labels, counts, converted: labels.map((a) => labels.map((b) => cells.get(`${a}\u0000${b}`)?.[1] ?? 0)) } : { labels, counts };
}

/** The rules whose contribution differs between two results of the same lead. */
export function ruleMoves(a: ScoreResult, b: ScoreResult): RuleMove[] {
  const pa = new Map<string, number>();
  const pb = new Map<string, number>();
  for (const r of a.reasons) pa.set(r.rule, (pa.get(r.rule) ?? 0) + r.points);
  for (const r of b.reasons) pb.set(r.rule, (pb.get(r.rule) ?? 0) + r.points);
  const moves: RuleMove[] = [];
  for (const rule of new Set([...pa.keys(), ...pb.keys()])) {
    const o = pa.has(rule) ? pa.get(rule)! : null;
    const n = pb.has(rule) ? pb.get(rule)! : null;
    if (o !== n) moves.push({ rule, old: o, new: n });
  }
  return moves.sort((x, y) => Math.abs((y.new ?? 0) - (y.old ?? 0)) - Math.abs((x.new ?? 0) - (x.old ?? 0)) || (x.rule < y.rule ? -1 : 1));
}
