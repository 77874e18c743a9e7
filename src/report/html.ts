// The pipeline report as one self-contained HTML page: inline CSS, charts rendered to inline SVG
// at build time with Observable Plot on a small server-side DOM (linkedom); no script, no font,
// no request of any kind, so it opens from an e-mail attachment. Charts: the funnel, the score
// histogram, the pipeline by close month, conversion by tier; then the report's tables.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { Breakdown, PipelineReport } from '../core/pipeline/funnel.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const money = (x: number | null) => (x === null ? '–' : Math.round(x).toLocaleString('en-US'));

const BLUE = '#2f6db5';
const GREEN = '#2e8b57';

export function reportHtml(r: PipelineReport, meta: { title: string; file: string; asOf: string }): string {
  const { document } = parseHTML('<!DOCTYPE html><html><head></head><body></body></html>');
  const svg = (options: Plot.PlotOptions): string => {
    const el = Plot.plot({ document: document as unknown as Plot.PlotOptions['document'], width: 600, height: 300, style: { fontSize: '12px', background: 'transparent' }, ...options }) as unknown as { outerHTML: string };
    // The SVG scales with its box (viewBox): the page works at 390 px wide as at 1280.
    return el.outerHTML;
  };
  const funnel = svg({
    marginLeft: 90,
    marginRight: 90,
    x: { label: 'leads', grid: true },
    y: { label: null, domain: r.funnel.map((f) => f.step) },
    marks: [
      Plot.barX(r.funnel, { x: 'count', y: 'step', fill: BLUE }),
      Plot.text(r.funnel, { x: 'count', y: 'step', text: (f: PipelineReport['funnel'][number]) => `${n(f.count)}${f.conversion !== null ? ` (${pct(f.conversion)})` : ''}`, textAnchor: 'start', dx: 4 }),
      Plot.ruleX([0]),
    ],
  });
  const histogram = svg({
    x: { label: 'score', domain: r.score_histogram.map((b) => `${b.from}-${b.to}`) },
    y: { label: 'leads', grid: true },
    marks: [Plot.barY(r.score_histogram, { x: (b: { from: number; to: number }) => `${b.from}-${b.to}`, y: 'count', fill: BLUE }), Plot.ruleY([0])],
  });
  const months = r.pipeline_by_close_month;
  const byMonth = months.length
    ? svg({
        marginLeft: 70,
        x: { label: 'expected close', domain: months.map((m) => m.month) },
        y: { label: 'amount', grid: true },
        color: { legend: true, domain: ['amount', 'weighted'], range: ['#9bbce0', BLUE] },
        marks: [
          Plot.barY(months, { x: 'month', y: 'amount', fill: () => 'amount' }),
          Plot.barY(months, { x: 'month', y: 'weighted', fill: () => 'weighted', insetLeft: 8, insetRight: 8 }),
          Plot.ruleY([0]),
        ],
      })
    : '<p class="empty">No open opportunities.</p>';
  const tiers = r.by_tier.filter((t) => t.leads > 0);
  const byTier = svg({
    marginLeft: 90,
    marginRight: 90,
    x: { label: 'became SQL or later', percent: true, grid: true, domain: [0, 100] },
    y: { label: null, domain: tiers.map((t) => t.value) },
    marks: [
      Plot.barX(tiers, { x: (t: Breakdown) => t.to_sql ?? 0, y: 'value', fill: GREEN }),
      Plot.text(tiers, { x: (t: Breakdown) => t.to_sql ?? 0, y: 'value', text: (t: Breakdown) => `${pct(t.to_sql)} of ${n(t.leads)}`, textAnchor: 'start', dx: 4 }),
      Plot.ruleX([0]),
    ],
  });

  const table = (head: string[], rows: (string | number)[][], numeric: number[] = []): string =>
    `<div class="scroll"><table><thead><tr>${head.map((h, i) => `<th${numeric.includes(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((row) => `<tr>${row.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${esc(String(c))}</td>`).join('')}</tr>`).join('') +
    '</tbody></table></div>';
  const breakdown = (rows: readonly Breakdown[]) => table(['', 'leads', 'SAL', 'SQL', 'opp.', 'won', 'to SQL'], rows.map((b) => [b.value, n(b.leads), n(b.sal), n(b.sql), n(b.opportunities), n(b.won), pct(b.to_sql)]), [1, 2, 3, 4, 5, 6]);
  const w = r.weighted_pipeline;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(meta.title)}</title>
<style>
  :root { color-scheme: light; }
  body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d232a; background: #fff; }
  main { max-width: 1200px; margin: 0 auto; padding: 16px; }
  h1 { font-size: 1.4rem; margin: 0 0 4px; }
  .sub { color: #5b6570; margin: 0 0 16px; }
  .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin-bottom: 16px; }
  .kpi { border: 1px solid #dde3ea; border-radius: 8px; padding: 10px 12px; }
  .kpi b { display: block; font-size: 1.35rem; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); gap: 16px; }
  section { border: 1px solid #dde3ea; border-radius: 8px; padding: 12px; min-width: 0; }
  h2 { font-size: 1.05rem; margin: 0 0 8px; }
  figure { margin: 0; }
  svg { max-width: 100%; height: auto; display: block; }
  .scroll { overflow-x: auto; }
  table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eef1f4; white-space: nowrap; }
  .num { text-align: right; font-variant-numeric: tabular-nums; }
  .empty { color: #5b6570; }
</style>
</head>
<body>
<main>
<h1>${esc(meta.title)}</h1>
<p class="sub">${esc(meta.file)} · as of ${esc(meta.asOf)} · made by qualify</p>
<div class="kpis">
  <div class="kpi">Leads<b>${n(r.leads)}</b></div>
  <div class="kpi">Open opportunities<b>${n(w.open)}</b></div>
  <div class="kpi">Pipeline<b>${money(w.amount)}</b></div>
  <div class="kpi">Weighted (rules)<b>${money(w.weighted_rules)}</b></div>
  <div class="kpi">Win rate<b>${pct(r.win_rate.rate)}</b></div>
</div>
<div class="grid">
<section id="funnel"><h2>Funnel</h2><figure>${funnel}</figure></section>
<section id="scores"><h2>Score distribution</h2><figure>${histogram}</figure></section>
<section id="pipeline"><h2>Pipeline by expected close month</h2><figure>${byMonth}</figure></section>
<section id="tiers"><h2>Conversion by tier</h2><figure>${byTier}</figure></section>
<section><h2>Stages</h2>${table(['stage', 'leads'], r.stages.map((s) => [s.stage, n(s.count)]), [1])}</section>
<section><h2>By lead source</h2>${breakdown(r.by_source)}</section>
<section><h2>By tier</h2>${breakdown(r.by_tier)}</section>
<section><h2>Disqualification reasons</h2>${r.disqualification_reasons.length ? table(['reason', 'leads'], r.disqualification_reasons.map((d) => [d.reason, n(d.count)]), [1]) : '<p class="empty">None.</p>'}</section>
<section><h2>Open opportunities</h2>${r.open_opportunities.length ? table(['lead', 'who', 'amount', 'stage', 'close', 'probability', 'weighted'], r.open_opportunities.map((o) => [o.lead, [o.name, o.company].filter(Boolean).join(', '), money(o.amount), o.stage, o.close ?? '–', pct(o.probability), money(o.weighted)]), [2, 5, 6]) : '<p class="empty">None.</p>'}</section>
<section><h2>Stage probabilities</h2>${r.probabilities.length ? table(['pipeline stage', 'rules', 'won in this file', 'closed deals'], r.probabilities.map((p) => [p.stage, pct(p.rules), pct(p.history), n(p.history_deals)]), [1, 2, 3]) : '<p class="empty">No opportunities yet.</p>'}</section>
<section><h2>Days between steps</h2>${table(['from', 'to', 'leads', 'average', 'median'], r.days_between_steps.map((d) => [d.from, d.to, n(d.leads), d.average ?? '–', d.median ?? '–']), [2, 3, 4])}</section>
</div>
</main>
</body>
</html>
`;
}
