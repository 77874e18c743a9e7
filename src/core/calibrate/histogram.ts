// Outcomes aggregated by score: for each distinct score, how many leads converted and how many
// did not. Every ranking statistic (AUC, KS, lift, capacity) is computed from this, so memory
// grows with the number of distinct scores, never with the number of rows.

export interface ScoreBin {
  score: number;
  pos: number;
  neg: number;
}

export class ScoreHistogram {
  private readonly counts = new Map<number, [number, number]>();

  add(score: number, positive: boolean, weight = 1): void {
    let c = this.counts.get(score);
    if (c === undefined) this.counts.set(score, (c = [0, 0]));
    c[positive ? 0 : 1] += weight;
  }

  /** Bins in ascending score order. */
  bins(): ScoreBin[] {
    return [...this.counts.entries()].sort((a, b) => a[0] - b[0]).map(([score, [pos, neg]]) => ({ score, pos, neg }));
  }

  static of(bins: readonly ScoreBin[]): ScoreHistogram {
    const h = new ScoreHistogram();
    for (const b of bins) {
      h.add(b.score, true, b.pos);
      h.add(b.score, false, b.neg);
    }
    return h;
  }
}

export function totals(bins: readonly ScoreBin[]): { pos: number; neg: number; n: number } {
  let pos = 0;
  let neg = 0;
  for (const b of bins) {
    pos += b.pos;
    neg += b.neg;
  }
  return { pos, neg, n: pos + neg };
}
