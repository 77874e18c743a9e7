// The follow-up list for people: one aligned table, the most urgent colour first (red overdue,
// yellow due today), wrapped to the terminal's width.
import type { FollowupRow } from '../pipeline/followups.js';
import { paint, stageColor } from '../ui/color.js';
import { createTable, terminalColumns } from '../ui/table.js';

const LABEL: Readonly<Record<FollowupRow['status'], string>> = { overdue: 'overdue', due: 'due today', 'first-touch': 'first touch', 'out-of-attempts': 'out of attempts' };

export function followupsTable(rows: readonly FollowupRow[], dayIso: string): string {
  const c = paint();
  const count = (k: FollowupRow['status']) => rows.filter((r) => r.status === k).length;
  const head = `Follow-ups for ${dayIso}: ${count('overdue')} overdue, ${count('due')} due today, ${count('first-touch')} first touch, ${count('out-of-attempts')} out of attempts`;
  if (rows.length === 0) return c.bold(head);
  const width = terminalColumns();
  const table = createTable({
    head: ['', 'lead', 'who', 'score', 'stage', 'next', 'tries', 'last result'],
    colAligns: ['left', 'left', 'left', 'right', 'left', 'left', 'right', 'left'],
    wordWrap: true,
    colWidths: [17, 12, Math.max(20, width - 17 - 12 - 7 - 14 - 18 - 7 - 15 - 9), 7, 14, 18, 7, 15],
  });
  for (const r of rows) {
    const color = r.status === 'overdue' ? c.red : r.status === 'due' ? c.yellow : r.status === 'out-of-attempts' ? c.dim : (s: string) => s;
    const status = r.status === 'overdue' ? `${r.days_overdue}d overdue` : LABEL[r.status];
    const who = [r.name, r.company].filter(Boolean).join(', ') || r.email;
    const next = r.status === 'out-of-attempts' ? '-' : `${r.channel} ${r.due}`;
    table.push([color(status), r.lead, who, String(r.score), stageColor(r.stage)(r.stage), next, String(r.attempts), r.last_result || '-']);
  }
  return c.bold(head) + '\n' + table.toString();
}
