// Finds one lead in a CSV by its id column or its email, scoring every row up to it (so that
// duplicate detection sees what came before, exactly as `score` would). Returns its row,
// record number and score.
import { QualifyError } from '../core/errors.js';
import type { CompiledRules } from '../core/rules/compiled.js';
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

export async function findLead(file: string, id: string, rules: CompiledRules, asOfDay: number, opts: { encoding?: string; delimiter?: string } = {}): Promise<FoundLead> {
  const input = await openCsv(file, opts);
  const scorer = createScorer(rules, input.header, { asOfDay, file: input.file });
  const idIdx = rules.fields.findIndex((f) => f.name === 'id');
  const emailIdx = rules.fields.findIndex((f) => f.name === 'email');
  const idCol = idIdx >= 0 ? scorer.binding.columnOf[idIdx]! : -1;
  const emailCol = emailIdx >= 0 ? scorer.binding.columnOf[emailIdx]! : -1;
  const wanted = id.trim();
  const wantedEmail = normalizeEmail(wanted);
  let record = 0;
  for await (const batch of input.batches()) {
    for (const row of batch) {
      record++;
      const result = scorer.score(row, record);
      const byId = idCol >= 0 && (row[idCol] ?? '').trim() === wanted;
      const byEmail = emailCol >= 0 && normalizeEmail(row[emailCol] ?? '') === wantedEmail;
      if (byId || byEmail || `#${record}` === wanted) return { header: input.header, row, record, result, scorer };
    }
  }
  const by = [idCol >= 0 ? `id column "${input.header[idCol]}"` : null, emailCol >= 0 ? `email column "${input.header[emailCol]}"` : null].filter(Boolean).join(' or ');
  throw new QualifyError('LEAD_NOT_FOUND', `no lead ${JSON.stringify(id)} (looked in the ${by || 'record numbers'}; ${record} records)`, { kind: 'csv', file: input.file }, { hint: 'give the value of the id column, the email address, or #N for record N' });
}
