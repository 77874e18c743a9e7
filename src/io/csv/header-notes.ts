// Notes on a header worth a person's attention: duplicate and blank column names.
import { uniqueKeys } from '../record-writer.js';

/**
 * Notes for duplicate and blank header names: every such column is kept and written back as it
 * is; JSON keys (and messages) tell them apart as uniqueKeys does (`Email_2`, `column_4`).
 */
export function headerNotes(header: readonly string[], file: string): string[] {
  const keys = uniqueKeys(header);
  const byName = new Map<string, number[]>();
  const blank: number[] = [];
  header.forEach((h, i) => {
    if (h.trim() === '') blank.push(i + 1);
    else byName.set(h, [...(byName.get(h) ?? []), i + 1]);
  });
  const parts: string[] = [];
  for (const [name, cols] of byName) if (cols.length > 1) parts.push(`${JSON.stringify(name)} is the name of columns ${cols.join(', ')}`);
  if (blank.length) parts.push(`column${blank.length > 1 ? 's' : ''} ${blank.join(', ')} ha${blank.length > 1 ? 've' : 's'} no name`);
  if (parts.length === 0) return [];
  const renamed = keys.map((k, i) => (k !== header[i] ? k : null)).filter((k): k is string => k !== null);
  return [`${file}: ${parts.join('; ')}; every column is kept and written back as it is (JSON keys: ${renamed.join(', ')})`];
}
