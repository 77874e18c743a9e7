// Plain records (a follow-up list, a report's tables) as CSV, JSON or NDJSON text for stdout or a
// file: the project's CSV cell writer, formula cells neutralised as in every file qualify writes.
import { createCsvRowWriter } from '../io/record-writer.js';
import { neutralizeFormula } from '../io/sanitize.js';

export type RecordFormat = 'csv' | 'json' | 'ndjson';

export function formatRecords<T extends object>(rows: readonly T[], fields: readonly (keyof T & string)[], format: RecordFormat): string {
  if (format === 'json') return JSON.stringify(rows.map((r) => pick(r, fields)), null, 2) + '\n';
  if (format === 'ndjson') return rows.map((r) => JSON.stringify(pick(r, fields)) + '\n').join('');
  const write = createCsvRowWriter({ delimiter: ',', recordDelimiter: '\n' });
  return write(fields) + rows.map((r) => write(fields.map((f) => cellText((r as Record<string, unknown>)[f])))).join('');
}

function pick<T extends object>(r: T, fields: readonly (keyof T & string)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = (r as Record<string, unknown>)[f];
  return out;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return neutralizeFormula(typeof v === 'string' ? v : String(v));
}
