// Header resolution, done once per file before the first row: which CSV column holds each
// canonical field (aliases matched ignoring case, spaces and punctuation), and where the score
// columns are or will go. Pure.
import { QualifyError } from '../errors.js';
import { closest, headerKey } from '../text-distance.js';
import { fieldsOfCondition, scoreColumns, type CompiledRules } from '../rules/compiled.js';

export interface ColumnBinding {
  /** CSV column of each field (index into header), -1 when absent. */
  columnOf: Int32Array;
  /** Header names as found (for messages). */
  header: readonly string[];
  /** Score column names, in output order. */
  scoreNames: string[];
  /** For each score column: the index it already has in the input (re-scoring), or -1 (appended). */
  scoreAt: Int32Array;
  /** Width of the output rows. */
  outWidth: number;
  /** Optional fields the rules use that this file lacks (their rules cannot fire). */
  absentOptional: string[];
  /** Fields matched by more than one column: the first was used. */
  ambiguous: { field: string; used: string; ignored: string[] }[];
  /** Input columns of the person-set stage markers, -1 when absent. */
  stageCol: number;
  qualifiedAtCol: number;
  classCol: number;
  actionCol: number;
  /** Every input column a scorer reads (the fields the rules use, the key fit fields, the stage
   * markers), ascending: a row holding only these cells scores the same as the whole row, so a
   * worker thread is sent just these (pipeline/score-cells.ts). */
  readColumns: number[];
}

/** Fields that rules, decay, duplicates or settings read. */
export function usedFields(rules: CompiledRules): Set<number> {
  const used = new Set<number>();
  for (const r of [...rules.fit.rules, ...rules.engagement.rules]) {
    fieldsOfCondition(r.when, used);
    if (r.per) used.add(r.per.field);
  }
  for (const d of rules.disqualifiers) fieldsOfCondition(d.when, used);
  if (rules.engagement.decay) used.add(rules.engagement.decay.field);
  if (rules.duplicates) used.add(rules.duplicates.field);
  if (rules.settings.sourceField !== null && rules.settings.salesSources.length) used.add(rules.settings.sourceField);
  return used;
}

export function bindColumns(rules: CompiledRules, header: readonly string[], file: string): ColumnBinding {
  const keys = header.map(headerKey);
  const columnOf = new Int32Array(rules.fields.length).fill(-1);
  const ambiguous: ColumnBinding['ambiguous'] = [];
  const scoreNames = scoreColumns(rules);
  const scoreSet = new Set(scoreNames);
  rules.fields.forEach((f, i) => {
    // Aliases in order of preference; our own score columns never count as input fields.
    const hits: number[] = [];
    for (const k of f.keys) {
      keys.forEach((hk, col) => {
        if (hk === k && !scoreSet.has(header[col]!) && !hits.includes(col)) hits.push(col);
      });
    }
    if (hits.length) {
      columnOf[i] = hits[0]!;
      if (hits.length > 1) ambiguous.push({ field: f.name, used: header[hits[0]!]!, ignored: hits.slice(1).map((c) => header[c]!) });
    }
  });

  const used = usedFields(rules);
  const missing = [...used].filter((i) => columnOf[i] === -1 && !rules.fields[i]!.optional);
  if (missing.length) {
    const lines = missing.map((i) => {
      const f = rules.fields[i]!;
      const near = closest(f.name, header) ?? f.aliases.map((a) => closest(a, header)).find(Boolean);
      return `"${f.name}" (looked for: ${[f.name, ...f.aliases].join(', ')})${near ? `; closest header: "${near}"` : ''}`;
    });
    throw new QualifyError(
      'CSV_MISSING_COLUMN',
      `no column for ${lines.join('; and ')}. Headers found: ${header.map((h) => JSON.stringify(h)).join(', ')}`,
      { kind: 'csv', file, line: 1 },
      { hint: 'add the header to the field\'s aliases in the rules file, or mark the field "optional: true"' },
    );
  }
  const absentOptional = [...used].filter((i) => columnOf[i] === -1).map((i) => rules.fields[i]!.name);

  // Re-scoring: score columns already present keep their place (same names, same position).
  const scoreAt = new Int32Array(scoreNames.length).fill(-1);
  let outWidth = header.length;
  scoreNames.forEach((name, j) => {
    const at = header.indexOf(name);
    if (at >= 0) scoreAt[j] = at;
    else scoreAt[j] = outWidth++;
  });
  const find = (name: string) => header.indexOf(rules.settings.columnPrefix + name);
  const stageCol = find('stage');
  const classCol = find('class');
  const actionCol = find('action');
  const qualifiedAtCol = header.indexOf('qualified_at');
  // Fields the rules read, the key fit fields ("fit unknown"), and a person's stage markers.
  const readFields = [...used, ...rules.settings.keyFitFields];
  const read = new Set<number>([...readFields.map((f) => columnOf[f]!), stageCol, classCol, actionCol, qualifiedAtCol].filter((c) => c >= 0));
  return {
    columnOf,
    header,
    scoreNames,
    scoreAt,
    outWidth,
    absentOptional,
    ambiguous,
    stageCol,
    classCol,
    actionCol,
    qualifiedAtCol,
    readColumns: [...read].sort((a, b) => a - b),
  };
}
