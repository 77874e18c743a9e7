// The operator table of the README, rendered from the registry's `doc` and `example`, so the
// reference cannot drift from the operators the compiler accepts (test/readme.test.ts compares
// the two; UPDATE_README=1 rewrites the README's table). Pure.
import { aliasesOf, operators, type OperatorDef } from './registry.js';

/** Where the generated table sits in README.md. */
export const OPERATOR_TABLE_START = '<!-- operators: generated from src/core/conditions/registry.ts; UPDATE_README=1 npx vitest run test/readme.test.ts -->';
export const OPERATOR_TABLE_END = '<!-- /operators -->';

/** An operator's name with the other spelling accepted for it: `equals` (also `eq`). */
function nameCell(name: string): string {
  const aliases = aliasesOf(name);
  return '`' + name + '`' + (aliases.length ? ` (also ${aliases.map((a) => '`' + a + '`').join(', ')})` : '');
}

/** The Markdown table: one row per operator, in registry order; operators that share their doc
 * and example (gt, gte, lt, lte) share a row. */
export function operatorTable(defs: Iterable<OperatorDef> = operators.values()): string {
  const rows: { names: string[]; doc: string; example: string }[] = [];
  for (const d of defs) {
    const last = rows[rows.length - 1];
    if (last && last.doc === d.doc && last.example === d.example) last.names.push(d.name);
    else rows.push({ names: [d.name], doc: d.doc, example: d.example });
  }
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| operator | meaning | example |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.names.map(nameCell).join(', ')} | ${cell(r.doc)} | \`${cell(r.example)}\` |`),
  ].join('\n');
}
