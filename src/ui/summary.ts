// The run summary on stderr: a table with bars on a terminal, one line otherwise (for logs and
// CI). Never on stdout, which carries data only.
import { createTable } from './table.js';
import { RESERVED_TIERS, STAGES } from '../core/stage/model.js';
import type { Scorer } from '../core/scoring/engine.js';
import { paint, stageColor } from './color.js';

/** What a summary reads of a run's statistics (the pipeline's ScoreStats has these and more).
 * Declared here, by the reader, so that ui/ depends on the core only, never on pipeline/. */
export interface RunSummary {
  file: string;
  output: string;
  rowsRead: number;
  rowsWritten: number;
  byStage: ReadonlyMap<string, number>;
  byTier: ReadonlyMap<string, number>;
  disqualified: ReadonlyMap<string, { why: string; count: number }>;
  unreadable: ReturnType<Scorer['unreadable']>;
  absentOptional: readonly string[];
  ambiguous: readonly { field: string; used: string; ignored: readonly string[] }[];
  /** User columns named like a score column, kept; the score columns then went under `scoreNames`' prefix. */
  clashes: readonly string[];
  scoreNames: readonly string[];
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function bar(fraction: number, width = 24): string {
  const cells = Math.max(0, Math.min(width, fraction * width));
  const full = Math.floor(cells);
  const parts = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
  return '█'.repeat(full) + (parts[Math.round((cells - full) * 7)] ?? '');
}

function ordered(m: ReadonlyMap<string, number>, order: readonly string[]): [string, number][] {
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  return [...m.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || b[1] - a[1]);
}

export function summaryLine(s: RunSummary): string {
  const stages = ordered(s.byStage, STAGES).map(([k, v]) => `${k} ${v}`).join(', ');
  const tiers = [...s.byTier.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  const dq = [...s.disqualified.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, 3).map(([k, v]) => `${k} ${v.count}`).join(', ');
  return `qualify: ${fmt(s.rowsRead)} rows read, ${fmt(s.rowsWritten)} written to ${s.output}; stages: ${stages || 'none'}; tiers: ${tiers || 'none'}${dq ? `; top disqualifications: ${dq}` : ''}`;
}

export function summaryTable(s: RunSummary, tierOrder: readonly string[]): string {
  const c = paint();
  const total = Math.max(1, s.rowsRead);
  const out: string[] = [];
  out.push(c.bold(`Scored ${fmt(s.rowsRead)} leads from ${s.file}`) + c.dim(` → ${s.output} (${fmt(s.rowsWritten)} rows written)`));
  const stageTable = createTable({ head: ['stage', 'leads', 'share', ''], colAligns: ['left', 'right', 'right', 'left'] });
  for (const [k, v] of ordered(s.byStage, STAGES)) stageTable.push([stageColor(k)(k), fmt(v), `${((v / total) * 100).toFixed(1)}%`, stageColor(k)(bar(v / total))]);
  const tierTable = createTable({ head: ['tier', 'leads', 'share', ''], colAligns: ['left', 'right', 'right', 'left'] });
  for (const [k, v] of ordered(s.byTier, [...tierOrder, ...RESERVED_TIERS])) tierTable.push([stageColor(k)(k), fmt(v), `${((v / total) * 100).toFixed(1)}%`, stageColor(k)(bar(v / total))]);
  out.push(stageTable.toString(), tierTable.toString());
  if (s.disqualified.size) {
    const dq = createTable({ head: ['disqualified by', 'leads', 'why'], colAligns: ['left', 'right', 'left'] });
    for (const [k, v] of [...s.disqualified.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, 5)) dq.push([k, fmt(v.count), v.why]);
    out.push(dq.toString());
  }
  return out.join('\n');
}

/** Notes about the input worth a person's attention (unreadable values, absent fields). */
export function inputNotes(s: RunSummary): string[] {
  const notes: string[] = [];
  for (const u of s.unreadable) {
    notes.push(`${s.file}: column "${u.column}" (${u.fieldName}): ${fmt(u.count)} value${u.count === 1 ? '' : 's'} could not be read as a ${u.kind} and counted as missing, e.g. record ${u.exampleRecord}: ${JSON.stringify(u.exampleValue)}`);
  }
  if (s.absentOptional.length) notes.push(`${s.file}: no column for optional field${s.absentOptional.length > 1 ? 's' : ''} ${s.absentOptional.join(', ')}: rules on ${s.absentOptional.length > 1 ? 'them' : 'it'} cannot fire`);
  if (s.clashes.length) {
    const cols = s.clashes.map((c) => JSON.stringify(c)).join(', ');
    const prefix = s.scoreNames[0]!.slice(0, -'fit'.length);
    notes.push(
      `${s.file}: column${s.clashes.length > 1 ? 's' : ''} ${cols} ${s.clashes.length > 1 ? 'are' : 'is'} not qualify's (the file has no complete set of score columns) and ${s.clashes.length > 1 ? 'are' : 'is'} kept as ${s.clashes.length > 1 ? 'they are' : 'it is'}; ` +
        `the score columns are written with the prefix "${prefix}" (${s.scoreNames.join(', ')}). Set settings.column_prefix in the rules to choose another`,
    );
  }
  for (const a of s.ambiguous) notes.push(`${s.file}: field "${a.field}" matches several columns; used "${a.used}", ignored ${a.ignored.map((x) => `"${x}"`).join(', ')}`);
  return notes;
}
