// Regressions found by the rule-kind tables: each case failed before its fix.
import { describe, expect, it } from 'vitest';
import { compileText, mustCompile, scoreLeads } from '../../helpers/rules.js';
import { createScorer } from '../../../src/core/scoring/engine.js';
import { AS_OF } from '../../helpers/rules.js';

const base = (extra: string) => `name: t
fields:
  email: { aliases: [Email] }
  title: { aliases: [Title] }
  visits: { aliases: [Visits], optional: true }
  attended: { aliases: [Attended], optional: true }
fit:
  rules:
${extra}
engagement:
  rules: []
score: { min: 0, max: 100 }
thresholds:
  - { min: 0, max: 100, tier: all, stage: lead, action: none }
`;

describe('compile regressions', () => {
  it.each([
    ['an empty condition', '    - { id: r, why: w, when: {}, points: 1 }', 'RULES_SCHEMA', 9, 30],
    ['ignore_case with nothing to test', '    - { id: r, why: w, per: visits, points: 1, when: { title: { ignore_case: true } } }', 'RULES_SCHEMA', 9, 63],
    ['an empty any', '    - { id: r, why: w, when: { any: [{}] }, points: 1 }', 'RULES_SCHEMA', 9, 38],
  ])('%s is an error', (_name, rule, code, line, col) => {
    const { errors } = compileText(base(rule));
    expect(errors.map((e) => [e.code, e.at?.kind === 'yaml' ? e.at.line : 0, e.at?.kind === 'yaml' ? e.at.col : 0])).toEqual([[code, line, col]]);
  });

  it('a broken condition gives one error, not also "needs when"', () => {
    const { errors } = compileText(base('    - { id: r, why: w, when: { title: { gte: ten } }, points: 1 }'));
    expect(errors.map((e) => e.code)).toEqual(['RULES_BAD_OPERAND']);
  });

  it("an example's as_of must be a YYYY-MM-DD date", () => {
    const text = base('    - { id: r, why: w, when: { title: vp }, points: 1 }') + 'examples:\n  - { name: e, as_of: "11/01/2026", lead: { title: vp }, expect: { tier: all } }\n';
    const { errors } = compileText(text);
    expect(errors.map((e) => [e.code, e.at?.kind === 'yaml' ? [e.at.line, e.at.col] : null])).toEqual([['RULES_SCHEMA', [16, 23]]]);
  });

  it("an unknown field in an example's lead points at the field name", () => {
    const text = base('    - { id: r, why: w, when: { title: vp }, points: 1 }') + 'examples:\n  - { name: e, lead: { titel: VP }, expect: { tier: all } }\n';
    const { errors } = compileText(text);
    expect(errors.map((e) => [e.code, e.at?.kind === 'yaml' ? [e.at.line, e.at.col] : null])).toEqual([['RULES_UNKNOWN_FIELD', [16, 24]]]);
  });
});

describe('operator regressions', () => {
  it('in with numbers compares numbers', () => {
    const rules = mustCompile(base('    - { id: r, why: w, when: { visits: { in: [50, 100] } }, points: 5 }'));
    expect(scoreLeads(rules, [{ email: 'a@b.co', visits: '50.0' }, { email: 'c@d.co', visits: '51' }]).map((r) => r.fit)).toEqual([5, 0]);
  });

  it('a boolean shorthand reads yes/no cells', () => {
    const rules = mustCompile(base('    - { id: r, why: w, when: { attended: true }, points: 5 }'));
    expect(scoreLeads(rules, [{ attended: 'yes' }, { attended: 'No' }, { attended: '' }]).map((r) => r.fit)).toEqual([5, 0, 0]);
  });
});

describe('human stages with blank cells', () => {
  const rules = mustCompile(base('    - { id: r, why: w, when: { title: vp }, points: 5 }'));
  const score = (header: string[], row: string[]) => createScorer(rules, header, { asOfDay: AS_OF, file: 't.csv' }).score(row, 1);

  it('keeps a set stage, and fills a blank class and action', () => {
    const r = score(['email', 'title', 'stage', 'class', 'action', 'qualified_at'], ['b@x.io', 'vp', 'SQL', '', '', '']);
    expect([r.stage, r.class, r.action]).toEqual(['SQL', 'prospect', 'Open an opportunity']);
  });

  it('does not keep a blank stage even when qualified_at is set', () => {
    const r = score(['email', 'title', 'stage', 'class', 'action', 'qualified_at'], ['a@x.io', 'vp', '', '', '', '2026-10-01']);
    expect([r.stage, r.class]).toEqual(['cold lead', 'lead']); // the formula's stage, not a blank
  });
});
