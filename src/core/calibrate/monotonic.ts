// Monotonic binning of a numeric column, as optbinning's `monotonic_trend` does: adjacent
// quantile bins whose conversion rates break the column's trend are merged (pool adjacent
// violators, weighted by leads), so that the rate only rises, only falls, or, where the data
// clearly say so, rises then falls (a peak) or falls then rises (a valley). A scorecard whose
// points go up and down from one band to the next fits noise and is hard to defend; merged
// bins also give the regression fewer, better supported steps.
//
// Which trend: the better of ascending and descending by likelihood, unless a peak or valley
// is better by a likelihood-ratio test at the 5% level (one more degree of freedom: the turning
// point), so a U-shaped column such as age keeps its shape and a noisy one becomes monotonic.

export interface BinCount {
  pos: number;
  neg: number;
}

export type Trend = 'ascending' | 'descending' | 'peak' | 'valley' | 'flat';

export interface MonotonicBins {
  trend: Trend;
  /** For each merged bin, the index of its first input bin (so [0, ...]). */
  starts: number[];
}

interface Block {
  start: number;
  pos: number;
  neg: number;
}

const rate = (b: BinCount) => b.pos / (b.pos + b.neg);

/** Pool adjacent violators over bins[from, to): blocks whose rates strictly rise (or fall).
 * Equal neighbours merge too: a step of no change is no step. */
function pav(bins: readonly BinCount[], from: number, to: number, ascending: boolean): Block[] {
  const out: Block[] = [];
  for (let i = from; i < to; i++) {
    out.push({ start: i, pos: bins[i]!.pos, neg: bins[i]!.neg });
    while (out.length >= 2) {
      const b = out[out.length - 1]!;
      const a = out[out.length - 2]!;
      const ok = ascending ? rate(a) < rate(b) : rate(a) > rate(b);
      if (ok) break;
      a.pos += b.pos;
      a.neg += b.neg;
      out.pop();
    }
  }
  return out;
}

/** Binomial log-likelihood of the blocks' own rates (0·log 0 = 0). */
function logLik(blocks: readonly Block[]): number {
  let ll = 0;
  for (const b of blocks) {
    const n = b.pos + b.neg;
    if (b.pos > 0) ll += b.pos * Math.log(b.pos / n);
    if (b.neg > 0) ll += b.neg * Math.log(b.neg / n);
  }
  return ll;
}

/** 95th percentile of chi-square with one degree of freedom. */
const CHI2_1_95 = 3.841;

/** Merges the bins (in ascending order of the column's value) into monotonic ones. */
export function monotonicBins(bins: readonly BinCount[]): MonotonicBins {
  const m = bins.length;
  if (m === 0) return { trend: 'flat', starts: [] };
  const asc = pav(bins, 0, m, true);
  const desc = pav(bins, 0, m, false);
  const llAsc = logLik(asc);
  const llDesc = logLik(desc);
  let best = llAsc >= llDesc ? { trend: 'ascending' as Trend, blocks: asc, ll: llAsc } : { trend: 'descending' as Trend, blocks: desc, ll: llDesc };
  // Rises then falls, or falls then rises: every turning point tried (m is ten or so).
  let turn: { trend: Trend; blocks: Block[]; ll: number } | null = null;
  for (let k = 1; k < m; k++) {
    for (const peak of [true, false]) {
      const blocks = [...pav(bins, 0, k, peak), ...pav(bins, k, m, !peak)];
      // A "turn" that is really monotonic cannot beat the monotonic fit above, which is the
      // best of all monotonic shapes: the test below then keeps the monotonic one.
      const ll = logLik(blocks);
      if (turn === null || ll > turn.ll + 1e-12) turn = { trend: peak ? 'peak' : 'valley', blocks, ll };
    }
  }
  if (turn !== null && turn.blocks.length >= 3 && 2 * (turn.ll - best.ll) > CHI2_1_95) best = turn;
  if (best.blocks.length === 1) return { trend: 'flat', starts: [0] };
  return { trend: best.trend, starts: best.blocks.map((b) => b.start) };
}
