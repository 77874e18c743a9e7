// Which decimal mark a column of numbers was written with, judged from its values: `1.200`
// employees read with "." is 1.2, though a person wrote twelve hundred. Pure; the caller picks the
// values (the first rows of the number columns the rules read) and words the note.
import type { CompiledRules, Condition } from '../rules/compiled.js';
import { parseNumber } from '../values.js';

const NUMERIC_OPERATORS = new Set(['gt', 'gte', 'lt', 'lte', 'between']);
/** Digits grouped by threes with this mark and nothing else: `1.200`, `12.500.000`. */
const GROUPED: Record<'.' | ',', RegExp> = { '.': /^[+-]?\d{1,3}(?:\.\d{3})+$/, ',': /^[+-]?\d{1,3}(?:,\d{3})+$/ };

/** Fields the rules read as numbers: numeric comparisons and `per`. */
export function numberFields(rules: CompiledRules): Set<number> {
  const out = new Set<number>();
  const walk = (c: Condition | null): void => {
    if (c === null) return;
    if (c.op === 'test') {
      if (NUMERIC_OPERATORS.has(c.operator)) out.add(c.field);
    } else if (c.op === 'not') walk(c.of);
    else for (const sub of c.of) walk(sub);
  };
  for (const r of [...rules.fit.rules, ...rules.engagement.rules]) {
    walk(r.when);
    if (r.per) out.add(r.per.field);
  }
  for (const d of rules.disqualifiers) walk(d.when);
  return out;
}

export interface DecimalHint {
  /** A value that reads differently (or only) with the other mark, as written. */
  example: string;
  /** How it reads with the mark in use (undefined: not at all) and with the other one. */
  asRead: number | undefined;
  asOther: number;
  other: '.' | ',';
}

/**
 * Whether a column's values fit the other decimal mark better: some read only with the other
 * mark (`12.500.000,00` with "."), or are digits grouped by threes with the mark in use (`1.200`
 * with "."), and none reads only with the mark in use or is grouped with the other mark
 * (`1,200.50`, `1,200` with "."). Null when nothing points the other way.
 */
export function otherDecimalFits(values: Iterable<string>, decimal: '.' | ','): DecimalHint | null {
  const other = decimal === '.' ? ',' : '.';
  let hint: DecimalHint | null = null;
  for (const raw of values) {
    const text = raw.trim();
    if (text === '') continue;
    const asRead = parseNumber(text, decimal);
    const asOther = parseNumber(text, other);
    if (asRead === asOther) continue;
    if (asOther === undefined || GROUPED[other].test(text)) return null;
    if (asRead === undefined || GROUPED[decimal].test(text)) hint ??= { example: text, asRead, asOther, other };
  }
  return hint;
}
