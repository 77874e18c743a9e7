// The pipeline report for people (stderr): aligned tables with bar charts, colour with meaning
// on a terminal only (ui/color.ts), laid out to the terminal's width.
import type { Breakdown, PipelineReport } from '../core/pipeline/funnel.js';
import { paint, stageColor } from '../ui/color.js';
import { bar } from '../ui/summary.js';
import { createTable } from '../ui/table.js';

const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
const money = (x: number | null) => (x === null ? '-' : Math.round(x).toLocaleString('en-US'));

export function reportText(r: PipelineReport, title: string): string {
  const c = paint();
  const out: string[] = [c.bold(title)];
  const biggest = (xs: number[]) => Math.max(1, ...xs);

  const stages = createTable({ head: ['stage', 'leads', 'share', ''], colAligns: ['left', 'right', 'right', 'left'] });
  const top = biggest(r.stages.map((s) => s.count));
  for (const s of r.stages) stages.push([stageColor(s.stage)(s.stage), n(s.count), pct(s.count / Math.max(1, r.leads)), stageColor(s.stage)(bar(s.count / top))]);
  out.push(stages.toString());

  const funnel = createTable({ head: ['funnel', 'reached', 'from previous', '', 'note'], colAligns: ['left', 'right', 'right', 'left', 'left'] });
  const first = Math.max(1, r.funnel[0]?.count ?? 1);
  for (const f of r.funnel) funnel.push([stageColor(f.step)(f.step), n(f.count), pct(f.conversion), bar(f.count / first), f.note ?? '']);
  out.push(funnel.toString());

  const hist = createTable({ head: ['score', 'leads', ''], colAligns: ['right', 'right', 'left'] });
  const topBin = biggest(r.score_histogram.map((b) => b.count));
  for (const b of r.score_histogram) hist.push([`${b.from}-${b.to}`, n(b.count), bar(b.count / topBin)]);
  out.push(hist.toString());

  out.push(breakdownTable('source', r.by_source), breakdownTable('tier', r.by_tier));

  if (r.disqualification_reasons.length) {
    const dq = createTable({ head: ['disqualified by', 'leads'], colAligns: ['left', 'right'] });
    for (const d of r.disqualification_reasons) dq.push([d.reason, n(d.count)]);
    out.push(dq.toString());
  }

  if (r.open_opportunities.length) {
    const opp = createTable({ head: ['open opportunity', 'amount', 'stage', 'close', 'prob.', 'weighted'], colAligns: ['left', 'right', 'left', 'left', 'right', 'right'] });
    for (const o of r.open_opportunities) opp.push([`${o.lead} ${[o.name, o.company].filter(Boolean).join(', ')}`, money(o.amount), o.stage, o.close ?? '-', pct(o.probability), money(o.weighted)]);
    out.push(opp.toString());
  }
  if (r.probabilities.length) {
    const p = createTable({ head: ['pipeline stage', 'probability (rules)', 'won in this file', 'closed deals'], colAligns: ['left', 'right', 'right', 'right'] });
    for (const x of r.probabilities) p.push([x.stage, pct(x.rules), pct(x.history), n(x.history_deals)]);
    out.push(p.toString());
  }
  const w = r.weighted_pipeline;
  out.push(
    `Pipeline: ${n(w.open)} open ${w.open === 1 ? 'opportunity' : 'opportunities'}, ${money(w.amount)} in total; weighted ${money(w.weighted_rules)} by the rules' probabilities` +
      `${w.weighted_history !== null ? `, ${money(w.weighted_history)} by this file's history` : ''}. ` +
      `Win rate: ${pct(r.win_rate.rate)} (${n(r.win_rate.won)} won, ${n(r.win_rate.lost)} lost).`,
  );
  const days = createTable({ head: ['from', 'to', 'leads', 'average days', 'median days'], colAligns: ['left', 'left', 'right', 'right', 'right'] });
  for (const d of r.days_between_steps) days.push([d.from, d.to, n(d.leads), d.average === null ? '-' : String(d.average), d.median === null ? '-' : String(d.median)]);
  out.push(days.toString());
  return out.join('\n');
}

function breakdownTable(what: string, rows: readonly Breakdown[]): string {
  const t = createTable({ head: [what, 'leads', 'SAL', 'SQL', 'opp.', 'won', 'to SQL', ''], colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'] });
  for (const b of rows) t.push([b.value, n(b.leads), n(b.sal), n(b.sql), n(b.opportunities), n(b.won), pct(b.to_sql), bar(b.to_sql ?? 0, 12)]);
  return t.toString();
}
