// Header resolution, done once per file before the first row: which CSV column holds each
// canonical field (aliases matched ignoring case, spaces and punctuation), and where the score
// columns are or will go. Pure.
//
// A column is qualify's own only when the file was written by qualify: the whole set of score
// columns is there under their exact names (re-scoring writes into them, wherever a person moved
// them), or, after an assess/discover on a file never scored, the stage and class (and action)
// columns next to a `qualified_at` column. Any other header that spells a score column name, in any case
// or spacing (`score`, `Stage`, ` TIER `), is the user's: it is kept as it is, and the score
// columns go under a prefix ("qualify_" before the rules' column_prefix) that clashes with nothing.
import { QualifyError } from '../errors.js';
import { closest, headerKey } from '../text-distance.js';
import { activeScoreColumns, fieldsOfCondition, type CompiledRules } from '../rules/compiled.js';
import { QUALIFIED_AT_COLUMN } from '../stage/model.js';

export interface ColumnBinding {
  /** CSV column of each field (index into header), -1 when absent. */
  columnOf: Int32Array;
  /** Header names as found (for messages). */
  header: readonly string[];
  /** Score column names, in output order (the prefix, then fit, engagement, ...). */
  scoreNames: string[];
  /** The prefix of the score columns: the rules' column_prefix, or another one when a user's
   * column has a score column's name. */
  prefix: string;
  /** User columns that spell a score column's name under the rules' prefix, and were kept
   * (then `prefix` differs from the rules'). */
  clashes: string[];
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

/** Score column names under `prefix`, in output order (grade only when configured). */
function namesWith(rules: CompiledRules, prefix: string): string[] {
  return activeScoreColumns(rules).map((c) => prefix + c);
}

/**
 * The prefix of the score columns and which header columns are already theirs (see the top of
 * the file). Tries the rules' prefix, then "qualify_" + it, "qualify2_" + it, ...: the first under
 * which the file holds qualify's own columns, or no column clashes, wins.
 */
export function placeScoreColumns(rules: CompiledRules, header: readonly string[], keys: readonly string[] = header.map(headerKey)): { prefix: string; names: string[]; own: Map<string, number>; clashes: string[] } {
  const base = rules.settings.columnPrefix;
  const once = (name: string): number => {
    const at = header.indexOf(name);
    return at >= 0 && header.indexOf(name, at + 1) < 0 ? at : -1;
  };
  const markedByCall = once(QUALIFIED_AT_COLUMN) >= 0;
  let clashes: string[] = [];
  for (let n = 0; ; n++) {
    const prefix = n === 0 ? base : `qualify${n === 1 ? '' : n}_${base}`;
    const names = namesWith(rules, prefix);
    const own = new Map<string, number>();
    // The whole set (grade may be missing: rules that gained a grade since) under exact names.
    const whole = names.every((name) => name === prefix + 'grade' || once(name) >= 0);
    if (whole) {
      for (const name of names) if (once(name) >= 0) own.set(name, once(name));
      return { prefix, names, own, clashes };
    }
    // assess/discover write stage, class, action and qualified_at together (older releases wrote
    // `action` without the prefix): stage and class both there under this prefix, beside
    // qualified_at, are theirs.
    if (markedByCall && once(prefix + 'stage') >= 0 && once(prefix + 'class') >= 0)
      for (const c of ['stage', 'class', 'action']) if (once(prefix + c) >= 0) own.set(prefix + c, once(prefix + c));
    const ownCols = new Set(own.values());
    const nameKeys = new Set(names.map(headerKey));
    const clashing = header.filter((_, i) => !ownCols.has(i) && nameKeys.has(keys[i]!));
    if (clashing.length === 0) return { prefix, names, own, clashes };
    if (n === 0) clashes = clashing;
  }
}

export function bindColumns(rules: CompiledRules, header: readonly string[], file: string): ColumnBinding {
  const keys = header.map(headerKey);
  const columnOf = new Int32Array(rules.fields.length).fill(-1);
  const ambiguous: ColumnBinding['ambiguous'] = [];
  const placed = placeScoreColumns(rules, header, keys);
  const scoreNames = placed.names;
  const ownCols = new Set(placed.own.values());
  rules.fields.forEach((f, i) => {
    // Aliases in order of preference; our own score columns never count as input fields.
    const hits: number[] = [];
    for (const k of f.keys) {
      keys.forEach((hk, col) => {
        if (hk === k && !ownCols.has(col) && !hits.includes(col)) hits.push(col);
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

  // Re-scoring: qualify's own score columns keep their place; the others are appended.
  const scoreAt = new Int32Array(scoreNames.length).fill(-1);
  let outWidth = header.length;
  scoreNames.forEach((name, j) => {
    scoreAt[j] = placed.own.get(name) ?? outWidth++;
  });
  const find = (name: string) => placed.own.get(placed.prefix + name) ?? -1;
  const stageCol = find('stage');
  const classCol = find('class');
  const actionCol = find('action');
  const qualifiedAtCol = header.indexOf(QUALIFIED_AT_COLUMN);
  // Fields the rules read, the key fit fields ("fit unknown"), and a person's stage markers.
  const readFields = [...used, ...rules.settings.keyFitFields];
  const read = new Set<number>([...readFields.map((f) => columnOf[f]!), stageCol, classCol, actionCol, qualifiedAtCol].filter((c) => c >= 0));
  return {
    columnOf,
    header,
    scoreNames,
    prefix: placed.prefix,
    clashes: placed.clashes,
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
