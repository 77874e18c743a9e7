// Drift between the file calibrated on and a new list (--compare): the population stability
// index of the score and of each input the rules read, from counts per distinct value
// (ColumnStats), so memory stays flat whatever the files' size.
import type { CompiledRules } from '../rules/compiled.js';
import { usedFields } from '../scoring/bind-columns.js';
import { createScorer } from '../scoring/engine.js';
import type { RowSource } from './calibrate.js';
import { ColumnStats } from './features.js';
import { psi, psiBand } from './metrics.js';

export interface DriftRow {
  what: string;
  psi: number;
  band: 'stable' | 'watch' | 'shifted';
  bins: number;
}

/**
 * PSI of one column between two files. Numbers (98% of the cells or more): the expected file's
 * deciles; text: each value held by 1% of the expected file or more, the rest together. Blank
 * cells are a bin of their own.
 */
export function columnPsi(expected: ColumnStats, actual: ColumnStats, bins = 10): { psi: number; bins: number } {
  const e: number[] = [expected.blank[0] + expected.blank[1]];
  const a: number[] = [actual.blank[0] + actual.blank[1]];
  const count = ([p, n]: [number, number]) => p + n;
  if (expected.nonBlank > 0 && expected.numeric >= 0.98 * expected.nonBlank) {
    const nums = [...expected.values.entries()].filter(([k]) => k.startsWith('#')).map(([k, c]) => ({ v: Number(k.slice(1)), c: count(c) })).sort((x, y) => x.v - y.v);
    const total = nums.reduce((s, x) => s + x.c, 0);
    const cuts: number[] = [];
    let before = 0;
    for (const x of nums) {
      if (before >= ((cuts.length + 1) * total) / bins) cuts.push(x.v);
      before += x.c;
    }
    const binOf = (v: number) => {
      let i = 0;
      while (i < cuts.length && v >= cuts[i]!) i++;
      return i;
    };
    const fill = (s: ColumnStats, out: number[]) => {
      for (let i = 0; i <= cuts.length; i++) out.push(0);
      let text = 0;
      for (const [k, c] of s.values) {
        if (k.startsWith('#')) out[1 + binOf(Number(k.slice(1)))]! += count(c);
        else text += count(c);
      }
      out.push(text);
    };
    fill(expected, e);
    fill(actual, a);
  } else {
    const common = [...expected.values.entries()].filter(([, c]) => count(c) >= 0.01 * expected.nonBlank).map(([k]) => k);
    const index = new Map(common.map((k, i) => [k, i + 1]));
    const fill = (s: ColumnStats, out: number[]) => {
      for (let i = 0; i <= common.length; i++) out.push(0);
      for (const [k, c] of s.values) {
        const i = index.get(k) ?? common.length + 1;
        out[i] = (out[i] ?? 0) + count(c);
      }
    };
    fill(expected, e);
    fill(actual, a);
  }
  // Bins empty on both sides say nothing.
  const keep = e.map((x, i) => x > 0 || (a[i] ?? 0) > 0);
  const ee = e.filter((_, i) => keep[i]);
  const aa = a.filter((_, i) => keep[i]);
  return { psi: psi(ee, aa), bins: ee.length };
}

/** Reads both files with the rules: the score's and each read input's PSI, score first. */
export async function drift(openExpected: () => Promise<RowSource>, openActual: () => Promise<RowSource>, rules: CompiledRules, asOfDay: number): Promise<DriftRow[]> {
  const fields = [...usedFields(rules)].sort((x, y) => x - y);
  const gather = async (open: () => Promise<RowSource>) => {
    const src = await open();
    const scorer = createScorer(rules, src.header, { asOfDay, file: src.file });
    const score = new ColumnStats();
    const cols = fields.map((f) => scorer.binding.columnOf[f]!);
    const stats = fields.map(() => new ColumnStats());
    let record = 0;
    for await (const batch of src.batches())
      for (const row of batch) {
        score.add(String(scorer.scoreShared(row, ++record).score), false);
        cols.forEach((c, i) => stats[i]!.add(c >= 0 ? (row[c] ?? '') : '', false));
      }
    return { score, stats, header: src.header, cols };
  };
  const a = await gather(openExpected);
  const b = await gather(openActual);
  const rows: DriftRow[] = [];
  const push = (what: string, x: ColumnStats, y: ColumnStats) => {
    const r = columnPsi(x, y);
    rows.push({ what, psi: r.psi, band: psiBand(r.psi), bins: r.bins });
  };
  push('score', a.score, b.score);
  fields.forEach((f, i) => {
    if (a.cols[i]! < 0) return;
    push(`${rules.fields[f]!.name} (${a.header[a.cols[i]!]})`, a.stats[i]!, b.stats[i]!);
  });
  return rows;
}
