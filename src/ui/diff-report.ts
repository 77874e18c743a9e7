// The diff report for people (stderr): transition matrices, the leads crossing the sales
// threshold with the rules responsible, the converted leads' moves.
import type { DiffReport, Matrix, RuleMove } from '../core/calibrate/diff.js';
import { paint } from './color.js';
import { createTable } from './table.js';

const int = (n: number) => n.toLocaleString('en-US');
const LISTED_IN_TABLE = 20;

function matrixTable(m: Matrix, what: string): string {
  const t = createTable({ head: [`${what}: old \\ new`, ...m.labels, 'total'], colAligns: ['left', ...m.labels.map(() => 'right' as const), 'right'] });
  m.labels.forEach((label, i) => {
    const row = m.counts[i]!;
    t.push([label, ...row.map((n, j) => (n === 0 ? '·' : i === j ? int(n) : `${int(n)}${m.converted ? ` (${int(m.converted[i]![j]!)})` : ''}`)), int(row.reduce((s, x) => s + x, 0))]);
  });
  return t.toString();
}

function moves(rules: RuleMove[]): string {
  const f = (x: number | null) => (x === null ? '-' : x > 0 ? `+${x}` : String(x));
  // The largest changes; the full list is in --format json.
  const shown = rules.slice(0, 4).map((r) => `${r.rule} ${f(r.old)}→${f(r.new)}`);
  if (rules.length > 4) shown.push(`${rules.length - 4} more`);
  return shown.join(', ') || 'caps, decay or clamping';
}

export function renderDiffReport(r: DiffReport, o: { file: string; oldPath: string; newPath: string }): string {
  const c = paint();
  const out: string[] = [];
  out.push(c.bold(`${o.oldPath} → ${o.newPath} on ${o.file}: ${int(r.leads)} leads`));
  out.push(`score changed for ${int(r.changed.score)}, tier for ${int(r.changed.tier)}, stage for ${int(r.changed.stage)}`);
  out.push(matrixTable(r.tiers, 'tier'));
  out.push(matrixTable(r.stages, 'stage'));
  if (r.tiers.converted) out.push('(n) = converted leads among the n that move');
  const pts = (x: number | null) => (x === null ? 'no points' : x > 0 ? `+${x}` : String(x));
  for (const m of r.sameForEvery) out.push(`${m.rule}: ${pts(m.old)} → ${pts(m.new)} on every lead alike; it moves no lead against another, so it is not among the rules responsible below`);
  const cross = r.crossings;
  out.push(c.bold(`Crossing the sales threshold (into or out of MQL / sales lead): ${int(cross.up)} up, ${int(cross.down)} down`));
  if (cross.listed.length > 0) {
    const t = createTable({ head: ['lead', 'move', 'old', 'new', 'rules responsible'], colAligns: ['left', 'left', 'left', 'left', 'left'] });
    for (const x of cross.listed.slice(0, LISTED_IN_TABLE))
      t.push([x.lead + (x.converted ? ' ✓' : ''), x.direction === 'up' ? c.green('up') : c.red('down'), `${x.old.score} ${x.old.tier}, ${x.old.stage}`, `${x.new.score} ${x.new.tier}, ${x.new.stage}`, moves(x.rules)]);
    out.push(t.toString());
    const more = cross.up + cross.down - Math.min(cross.listed.length, LISTED_IN_TABLE);
    if (more > 0) out.push(`… and ${int(more)} more (all of them with --format json${cross.truncated ? `, up to ${int(cross.listed.length)}` : ''})`);
  }
  if (r.conversionMoves) {
    if (r.conversionMoves.length === 0) out.push('No converted lead changes tier.');
    for (const m of r.conversionMoves) out.push(`${int(m.converted)} converted lead${m.converted === 1 ? '' : 's'} move${m.converted === 1 ? 's' : ''} from ${m.from} to ${m.to} (of ${int(m.leads)} leads making that move)`);
  }
  return out.join('\n') + '\n';
}
