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
 * The one lead finder: which records `id` names, looking at rows in file order. `#N` is settled
 * at record N (no later row can be it), so a reader stops there; any other value needs every
 * row, since a second match makes it ambiguous.
 */
export interface LeadFinder {
  /** Looks at the next row; true when `id` names it. */
  see(row: readonly string[], record: number): boolean;
  /** True once no later row can match: the reader may stop. */
  settled(): boolean;
  /** Records matched so far, in file order. */
  matches(): number[];
}

export function createLeadFinder(id: string, cols: LeadKeyColumns): LeadFinder {
  const match = createLeadMatcher(id, cols);
  const byNumber = /^#(\d+)$/.exec(id.trim());
  const last = byNumber ? Number(byNumber[1]) : Infinity;
  const hits: number[] = [];
  let seen = 0;
  return {
    see(row, record) {
      seen = record;
      if (!match(row, record)) return false;
      hits.push(record);
      return true;
    },
    settled: () => seen >= last,
    matches: () => hits,
  };
}

/** Where a lead was looked for, for LEAD_NOT_FOUND and LEAD_AMBIGUOUS. */
export interface LeadSearchPlace {
  file: string;
  header: readonly string[];
  cols: LeadKeyColumns;
  /** Data records looked at. */
  records: number;
  /** The file line a record starts on, when the reader knows it. */
  lineOf?: (record: number) => number;
}

/** The one record of `matches`: LEAD_NOT_FOUND when there is none, LEAD_AMBIGUOUS (naming them
 * all) when there are several, never the first of them. */
export function theOneLead(id: string, matches: readonly number[], where: LeadSearchPlace): number {
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw leadNotFound(id, where.file, where.header, where.cols, where.records);
  const lineOf = where.lineOf;
  throw leadAmbiguous(id, where.file, where.header, where.cols, matches.map((r) => ({ record: r, ...(lineOf ? { line: lineOf(r) } : {}) })));
}

/**
 * The finder over rows already in memory (a document read for a row update), indexed once by
 * the id column's value and the normalised email: a lookup is a map lookup, so that giving every
 * lead a key that names it alone (lead-call.ts, worked-file.ts) is linear in the rows, not
 * quadratic. Gives what createLeadFinder gives over the same rows (a property test checks it).
 */
export function indexLeads(rows: readonly (readonly string[])[], cols: LeadKeyColumns): { matches(id: string): number[] } {
  const byId = new Map<string, number[]>();
  const byEmail = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, record: number) => {
    // A blank cell names no lead (the value looked for is never blank).
    if (key === '') return;
    const list = map.get(key);
    if (list === undefined) map.set(key, [record]);
    else if (list[list.length - 1] !== record) list.push(record);
  };
  rows.forEach((row, i) => {
    if (cols.idCol >= 0) add(byId, (row[cols.idCol] ?? '').trim(), i + 1);
    if (cols.emailCol >= 0) add(byEmail, normalizeEmail(row[cols.emailCol] ?? ''), i + 1);
  });
  return {
    matches(id) {
      const wanted = id.trim();
      const n = /^#(\d+)$/.exec(wanted);
      if (n) {
        const record = Number(n[1]);
        return record >= 1 && record <= rows.length ? [record] : [];
      }
      if (wanted === '') return [];
      return mergeRecords(byId.get(wanted) ?? [], byEmail.get(normalizeEmail(wanted)) ?? []);
    },
  };
}

/** Two ascending lists of record numbers as one, each number once. */
function mergeRecords(a: readonly number[], b: readonly number[]): number[] {
  if (b.length === 0) return a.slice();
  if (a.length === 0) return b.slice();
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (out[out.length - 1] !== next) out.push(next);
  }
  return out;
}

/**
 * The lead `id` names, scored as `score` scores it: every row before it is scored too (so that
 * duplicate detection sees what came before). Streams the file and stops at record N for `#N`;
 * any other value reads every row, since a value that matches two records is LEAD_AMBIGUOUS
 * (with both record numbers), never the first of them. Rows after the lead are only matched.
 */
export async function findLead(file: string, id: string, rules: CompiledRules, asOfDay: number, opts: { encoding?: string; delimiter?: string } = {}): Promise<FoundLead> {
  const input = await openCsv(file, opts);
  const scorer = createScorer(rules, input.header, { asOfDay, file: input.file });
  const cols = leadKeyColumns(rules, scorer.binding);
  const finder = createLeadFinder(id, cols);
  let found: FoundLead | null = null;
  let record = 0;
  try {
    read: for await (const batch of input.batches()) {
      for (const row of batch) {
        record++;
        const result: ScoreResult | null = found === null ? scorer.score(row, record) : null;
        if (finder.see(row, record) && found === null) found = { header: input.header, row: row.slice(), record, result: result!, scorer };
        if (finder.settled()) break read;
      }
    }
  } finally {
    input.close();
  }
  const one = theOneLead(id, finder.matches(), { file: input.file, header: input.header, cols, records: record });
  if (found === null || found.record !== one) throw new Error(`findLead: record ${one} was matched but not kept`);
  return found;
}
