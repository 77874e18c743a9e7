// An operator tester in the style of stylelint's testRule and ESLint's RuleTester: each operator
// gets tables of cells it accepts (TRUE), rejects (FALSE) and cannot judge (UNKNOWN), plus
// operands that must not compile, checked by error code and position, never by wording.
//
// How the three values are observed: the tester builds a rules file with two rules on the same
// test, `yes` (when: TEST) and `no` (when: { not: TEST }). A rule fires only on TRUE, and `not`
// keeps UNKNOWN, so TRUE fires `yes`, FALSE fires `no`, and UNKNOWN fires neither.
import { describe, expect, it } from 'vitest';
import { compileText, mustCompile, scoreLeads } from '../../helpers/rules.js';
import type { CompiledRules } from '../../../src/core/rules/compiled.js';

export type Verdict = 'true' | 'false' | 'unknown';

export interface OperatorCase {
  /** The operand, as YAML text (flow style), e.g. `50`, `[a, b]`, `'\b(vp)\b'`. */
  operand: string;
  /** The cell of the tested field. */
  cell: string;
  /** Other fields of the lead (field `g` is available to combinations). */
  lead?: Record<string, string>;
  /** Extra keys in the operator's map, e.g. `ignore_case: true`. */
  flags?: string;
  description?: string;
}

export interface InvalidCase {
  /** The `when:` value as YAML (one line, flow style), placed at a known line and column. */
  when: string;
  code: string;
  /** 1-based position inside `when` (line 1 is the `when:` line; col 1 is the first character of `when`). */
  line: number;
  col: number;
  description?: string;
}

export interface OperatorTable {
  accept?: OperatorCase[];
  reject?: OperatorCase[];
  unknown?: OperatorCase[];
  invalid?: InvalidCase[];
}

/** Lines above `when:` in the generated rules file, and its indentation. */
const WHEN_LINE = 20;
const WHEN_INDENT = 6;

/**
 * Rules file around one condition. `f` is the field under test, `g` a second field for
 * combinations. The `when:` line is always line WHEN_LINE, indented WHEN_INDENT spaces; the
 * `not` twin sits on the rule after it.
 */
export function rulesAround(when: string, notWhen: string = `{ not: ${when} }`): string {
  const lines = [
    'version: 1', // 1
    'name: operator tester', // 2
    'settings:', // 3
    '  placeholders: [test, test@test.com, asdf, "n/a", none, unknown]', // 4
    'fields:', // 5
    '  f: { aliases: [Field] }', // 6
    '  g: { optional: true }', // 7
    '  h: { optional: true }', // 8
    'score: { min: -100, max: 100 }', // 9
    'thresholds:', // 10
    '  - { min: -100, max: 100, tier: any, stage: lead, action: none }', // 11
    'engagement:', // 12
    '  rules: []', // 13
    '# padding', // 14
    '# padding', // 15
    'fit:', // 16
    '  rules:', // 17
    '    - id: "yes"', // 18
    '      why: the condition holds', // 19
    `      when: ${when}`, // 20 = WHEN_LINE; "when: " starts at col 7, the value at col 13
    '      points: 1',
    '    - id: "no"',
    '      why: the negated condition holds',
    `      when: ${notWhen}`,
    '      points: 2',
    '',
  ];
  return lines.join('\n');
}

/** The verdict of `when` on a lead (field name -> cell). */
export function verdictOf(rules: CompiledRules, lead: Record<string, string>): Verdict {
  const [result] = scoreLeads(rules, [lead]);
  const fired = new Set(result!.reasons.map((r) => r.rule));
  if (fired.has('yes') && fired.has('no')) throw new Error('both a condition and its negation fired');
  return fired.has('yes') ? 'true' : fired.has('no') ? 'false' : 'unknown';
}

export function conditionFor(operator: string, c: Pick<OperatorCase, 'operand' | 'flags'>): string {
  return `{ f: { ${operator}: ${c.operand}${c.flags ? `, ${c.flags}` : ''} } }`;
}

function title(c: OperatorCase): string {
  return `${c.operand}${c.flags ? ` (${c.flags})` : ''} on ${JSON.stringify(c.cell)}${c.lead ? ` with ${JSON.stringify(c.lead)}` : ''}${c.description ? ` - ${c.description}` : ''}`;
}

/** Registers a describe block for one operator. */
export function testOperator(operator: string, table: OperatorTable): void {
  describe(operator, () => {
    const groups: [Verdict, OperatorCase[] | undefined][] = [
      ['true', table.accept],
      ['false', table.reject],
      ['unknown', table.unknown],
    ];
    for (const [verdict, cases] of groups) {
      if (!cases?.length) continue;
      it.each(cases.map((c) => [title(c), c] as const))(`${verdict}: %s`, (_name, c) => {
        const rules = mustCompile(rulesAround(conditionFor(operator, c)));
        expect(verdictOf(rules, { ...c.lead, f: c.cell })).toBe(verdict);
      });
    }
    if (table.invalid?.length) {
      it.each(table.invalid.map((c) => [`${c.when}${c.description ? ` - ${c.description}` : ''}`, c] as const))(
        'invalid: %s',
        (_name, c) => {
          const { rules, errors } = compileText(rulesAround(c.when, '{ f: { present: true } }'));
          expect(rules).toBeUndefined();
          // Only the errors inside the condition: a rule whose condition did not compile also
          // gets a follow-on "needs when or per" at the rule itself (reported separately).
          const inWhen = errors.map(codeAt).filter((e) => e.line >= WHEN_LINE && e.line < WHEN_LINE + c.when.split('\n').length);
          expect(inWhen).toEqual([{ code: c.code, line: WHEN_LINE + c.line - 1, col: WHEN_INDENT + 6 + c.col }]);
        },
      );
    }
  });
}

/** Code and position of a compile error, for comparisons that ignore wording. */
export function codeAt(e: { code: string; at?: unknown }): { code: string; line: number; col: number } {
  const at = e.at as { kind?: string; line?: number; col?: number } | undefined;
  return { code: e.code, line: at?.kind === 'yaml' ? at.line! : -1, col: at?.kind === 'yaml' ? at.col! : -1 };
}

/** Verdict of a whole condition (for all/any/not tables). */
export function verdictOfCondition(when: string, lead: Record<string, string>): Verdict {
  return verdictOf(mustCompile(rulesAround(when)), lead);
}
