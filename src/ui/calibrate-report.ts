// The calibrate report for people (stderr): the current rules' measures beside the suggested
// ones, the lift and reliability tables, every rule judged, the suggested points.
import type { CalibrateReport, Measures } from '../core/calibrate/calibrate.js';
import type { DriftRow } from '../core/calibrate/drift.js';
import { paint } from './color.js';
import { bar } from './summary.js';
import { createTable } from './table.js';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '-');
const num = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function liftRows(m: Measures, bars: boolean): string {
  const t = createTable({ head: ['band', 'scores', 'leads', 'converted', 'rate', 'lift', 'cum. capture', ...(bars ? [''] : [])], colAligns: ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'] });
  const top = Math.max(...m.lift.map((r) => r.rate), 1e-9);
  for (const r of m.lift) t.push([r.band, r.minScore === r.maxScore ? String(r.minScore) : `${r.minScore}..${r.maxScore}`, int(r.leads), int(r.conversions), pct(r.rate), num(r.lift, 2), pct(r.cumulativeCapture), ...(bars ? [bar(r.rate / top, 20)] : [])]);
  return t.toString();
}

function tierRows(m: Measures): string {
  const t = createTable({ head: ['tier', 'leads', 'converted', 'rate', 'lift'], colAligns: ['left', 'right', 'right', 'right', 'right'] });
  for (const r of m.tiers) t.push([r.tier, int(r.leads), int(r.conversions), pct(r.rate), num(r.lift, 2)]);
  return t.toString();
}

function reliabilityRows(m: Measures): string {
  const t = createTable({ head: ['scores', 'leads', 'predicted', 'observed'], colAligns: ['right', 'right', 'right', 'right'] });
  for (const r of m.reliability) t.push([r.minScore === r.maxScore ? String(r.minScore) : `${r.minScore}..${r.maxScore}`, int(r.leads), pct(r.predicted), pct(r.observed)]);
  return t.toString();
}

export function renderCalibrateReport(r: CalibrateReport, o: { written: string | null; bars: boolean; drift?: DriftRow[] | null; compare?: string | null }): string {
  const c = paint();
  const cur = r.current;
  const sug = r.suggested.measures;
  const out: string[] = [];
  out.push(
    c.bold(`Calibrated on ${r.file}: ${int(r.leads)} leads with an outcome, ${int(r.conversions)} converted (${pct(r.baseRate)})`) +
      (r.blankOutcome > 0 ? `; ${int(r.blankOutcome)} with a blank outcome left out` : ''),
  );
  out.push(`Training part ${int(r.train.leads)} leads, holdout ${int(r.holdout.leads)} (${pct(r.holdout.share)}, split by outcome, seed ${r.holdout.seed}). Every measure below is on the holdout.`);
  const m = createTable({ head: ['measure', 'current rules', 'suggested'], colAligns: ['left', 'right', 'right'] });
  m.push(['ROC AUC', num(cur.auc), num(sug.auc)]);
  m.push(['  95% interval (bootstrap)', `${num(cur.aucLow)}..${num(cur.aucHigh)}`, `${num(sug.aucLow)}..${num(sug.aucHigh)}`]);
  m.push(['Gini', num(cur.gini), num(sug.gini)]);
  m.push(['KS', `${num(cur.ks)} at ${cur.ksAt ?? '-'}`, `${num(sug.ks)} at ${sug.ksAt ?? '-'}`]);
  m.push([`top ${pct(cur.capacity.share)} by score hold`, `${pct(cur.capacity.conversionsShare)} of conversions`, `${pct(sug.capacity.conversionsShare)} of conversions`]);
  out.push(m.toString());
  out.push(c.bold('Conversion per tier, current rules'), tierRows(cur));
  out.push(c.bold('Conversion per tier, suggested rules and thresholds'), tierRows(sug));
  out.push(c.bold('Lift by score band (about a tenth of the leads each; a score is never split), current rules'), liftRows(cur, o.bars));
  out.push(c.bold('Lift by score band, suggested rules'), liftRows(sug, o.bars));
  out.push(c.bold('Reliability, suggested rules (predicted from the training part)'), reliabilityRows(sug));

  const rules = createTable({ head: ['rule', 'points', 'fired', 'converted', 'rate', 'lift (95%)', ''], colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'left'] });
  for (const j of r.rules)
    rules.push([j.id, (j.per ? 'per ' : '') + signed(j.points), int(j.fired), int(j.conversions), pct(j.rate), j.fired ? `${num(j.lift, 2)} (${num(j.liftLow, 2)}..${num(j.liftHigh, 2)})` : '-', j.wrongWay ? c.red('points point the wrong way') : j.fired === 0 ? 'never fired' : j.fired < 30 ? 'too few leads to judge' : '']);
  out.push(c.bold(`Every rule judged on all ${int(r.leads)} leads (base rate ${pct(r.baseRate)})`), rules.toString());
  const lost = r.disqualifiers.filter((d) => d.conversions > 0);
  if (lost.length > 0) {
    out.push('Converted leads thrown out by a disqualifier:');
    for (const d of lost) out.push(`  ${d.id}: ${int(d.conversions)} of the ${int(d.fired)} it threw out had converted (record${d.records.length > 1 ? 's' : ''} ${d.records.join(', ')}${d.conversions > d.records.length ? ', …' : ''})`);
  }

  const s = r.suggested;
  const sugT = createTable({ head: ['rule', 'points', 'was', 'training leads', 'rate'], colAligns: ['left', 'right', 'right', 'right', 'right'] });
  for (const x of s.rules) sugT.push([x.id + (x.isNew ? ' (new)' : ''), x.points === 0 ? 'off' : signed(x.points), x.was === null ? '' : signed(x.was), int(x.support), pct(x.rate)]);
  out.push(
    c.bold(`Suggested points: ${s.rules.filter((x) => x.points !== 0).length} scoring rules from ${int(s.candidates)} candidates (${int(s.patterns)} distinct patterns), ${s.pdo} points per doubling of the odds`),
    'Points = round(coefficient × PDO / ln 2) of an L1-regularised logistic regression (the path stopped at --max-rules, the chosen rules refitted).',
    sugT.toString(),
  );
  out.push(`Suggested thresholds (top tier = the capacity): ${s.thresholds.map((t) => `${t.tier} ${t.min}..${t.max}`).join(', ')}`);
  if (s.binnedColumns.length > 0)
    out.push(`Numeric columns in bins, merged where the conversion rate broke its trend: ${s.binnedColumns.map((b) => `${b.column} ${b.trend} (${b.cuts.length + 1} of ${b.quantileBins} bins)`).join(', ')}`);
  for (const x of s.skippedColumns) out.push(`note: column ${JSON.stringify(x.column)} not used: ${x.why}`);
  for (const x of s.droppedExamples) out.push(`note: example "${x.name}" dropped from the suggested rules: ${x.why}`);
  for (const x of s.notes) out.push(`note: ${x}`);
  if (o.drift) {
    const t = createTable({ head: ['drift', 'PSI', ''], colAligns: ['left', 'right', 'left'] });
    for (const d of o.drift) t.push([d.what, num(d.psi), d.band === 'shifted' ? c.red(d.band) : d.band === 'watch' ? c.yellow(d.band) : d.band]);
    out.push(c.bold(`Drift from ${r.file} to ${o.compare} (PSI: below 0.1 stable, 0.1 to 0.25 watch, above 0.25 shifted)`), t.toString());
  }
  if (o.written) out.push(`Suggested rules written to ${o.written}; compare with: qualify diff OLD ${o.written} ${r.file}`);
  return out.join('\n') + '\n';
}
