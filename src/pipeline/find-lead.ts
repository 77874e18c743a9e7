// Finds one lead in a CSV by its id column, its email or #N, scoring every row up to it (so that
// duplicate detection sees what came before, exactly as `score` would). Returns its row, record
// number and score. The matching (createLeadMatcher) and its errors (LEAD_NOT_FOUND,
// LEAD_AMBIGUOUS) are shared with assess/discover (lead-call.ts): a value that names two rows is
// refused, never resolved to the first.
import { QualifyError } from '../core/errors.js';
import type { CompiledRules } from '../core/rules/compiled.js';
import type { ColumnBinding } from '../core/scoring/bind-columns.js';
import { createScorer, type ScoreResult, type Scorer } from '../core/scoring/engine.js';
import { normalizeEmail } from '../core/values.js';
import { openCsv } from '../io/csv-reader.js';

export interface FoundLead {
  header: string[];
  row: string[];
  record: number;
  result: ScoreResult;
  scorer: Scorer;
}

/** The columns a lead is looked up in: the rules' `id` and `email` fields, -1 when absent. */
export interface LeadKeyColumns {
  idCol: number;
  emailCol: number;
}

export function leadKeyColumns(rules: CompiledRules, binding: Pick<ColumnBinding, 'columnOf'>): LeadKeyColumns {
  const col = (name: string): number => {
    const i = rules.fields.findIndex((f) => f.name === name);
    return i >= 0 ? binding.columnOf[i]! : -1;
  };
  return { idCol: col('id'), emailCol: col('email') };
}

/**
 * Whether a row is the lead `id` names: `#N` is record N; otherwise the id column's value
 * (trimmed) or the email column's (any case). A blank value names no lead.
 */
export function createLeadMatcher(id: string, cols: LeadKeyColumns): (row: readonly string[], record: number) => boolean {
  const wanted = id.trim();
  const n = /^#(\d+)$/.exec(wanted);
  if (n) {
    const record = Number(n[1]);
    return (_row, r) => r === record;
  }
  if (wanted === '') return () => false;
  const email = normalizeEmail(wanted);
  const { idCol, emailCol } = cols;
  return (row) => (idCol >= 0 && (row[idCol] ?? '').trim() === wanted) || (emailCol >= 0 && normalizeEmail(row[emailCol] ?? '') === email);
}

function lookedIn(header: readonly string[], cols: LeadKeyColumns): string {
  const by = [cols.idCol >= 0 ? `id column "${header[cols.idCol]}"` : null, cols.emailCol >= 0 ? `email column "${header[cols.emailCol]}"` : null].filter(Boolean).join(' or ');
  return by || 'record numbers';
}

export function leadNotFound(id: string, file: string, header: readonly string[], cols: LeadKeyColumns, records: number): QualifyError {
  return new QualifyError('LEAD_NOT_FOUND', `no lead ${JSON.stringify(id)} (looked in the ${lookedIn(header, cols)}; ${records} records)`, { kind: 'csv', file }, {
    hint: 'give the value of the id column, the email address, or #N for record N',
  });
}

/** A lead value that names several records (`line`: the file line the record starts on, when known). */
export function leadAmbiguous(id: string, file: string, header: readonly string[], cols: LeadKeyColumns, matches: readonly { record: number; line?: number | undefined }[]): QualifyError {
  const list = matches.map((m) => `record ${m.record}${m.line !== undefined ? ` (line ${m.line})` : ''}`);
  const shown = list.length > 10 ? [...list.slice(0, 10), `${list.length - 10} more`] : list;
  return new QualifyError(
    'LEAD_AMBIGUOUS',
    `lead ${JSON.stringify(id)} matches ${matches.length} records (${lookedIn(header, cols)}): ${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`,
    { kind: 'csv', file, record: matches[0]!.record, ...(matches[0]!.line !== undefined ? { line: matches[0]!.line } : {}) },
    { hint: `say which one with #N, e.g. --lead '#${matches[0]!.record}'` },
  );
}

/**
 * The lead `id` names, scored. Reads the whole file: a value that matches two records is
 * LEAD_AMBIGUOUS (with both record numbers), never the first of them.
 */
export async function findLead(file: string, id: string, rules: CompiledRules, asOfDay: number, opts: { encoding?: string; delimiter?: string } = {}): Promise<FoundLead> {
  const input = await openCsv(file, opts);
  const scorer = createScorer(rules, input.header, { asOfDay, file: input.file });
  const cols = leadKeyColumns(rules, scorer.binding);
  const matches = createLeadMatcher(id, cols);
  let found: FoundLead | null = null;
  const records: number[] = [];
  let record = 0;
  for await (const batch of input.batches()) {
    for (const row of batch) {
      record++;
      // Rows after the lead are only matched, not scored (its score depends on earlier rows only).
      const result: ScoreResult | null = found === null ? scorer.score(row, record) : null;
      if (!matches(row, record)) continue;
      records.push(record);
      if (found === null) found = { header: input.header, row: row.slice(), record, result: result!, scorer };
    }
  }
  if (records.length > 1) throw leadAmbiguous(id, input.file, input.header, cols, records.map((r) => ({ record: r })));
  if (found === null) throw leadNotFound(id, input.file, input.header, cols, record);
  return found;
}
