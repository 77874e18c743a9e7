// Rules and questionnaires speak one condition language (docs/conditions.md): one registry of
// operator names, the other spelling of a name accepted in both kinds of file, and compiled
// forms that carry the canonical name.
import { describe, expect, it } from 'vitest';
import { ANSWER_OPERATORS, canonicalOperator, OPERATOR_ALIASES, OPERATOR_NAMES, operators } from '../../../src/core/conditions/registry.js';
import { OPS_BY_KIND } from '../../../src/core/questionnaire/conditions.js';
import type { Condition } from '../../../src/core/questionnaire/schema.js';
import { compileText, mustCompile, scoreLeads } from '../../helpers/rules.js';
import { load, MINI } from '../../questionnaire/helpers.js';

const RULES = (when: string) => `
name: t
fields:
  country: { aliases: [Country] }
fit:
  rules:
    - { id: de, why: Germany, when: ${when}, points: 10 }
engagement:
  rules: []
score: { min: 0, max: 100 }
thresholds:
  - { min: 0, max: 100, tier: all, stage: lead, action: x }
`;

describe('one registry of operator names', () => {
  it('every test a questionnaire takes is a name of the registry', () => {
    for (const [kind, ops] of Object.entries(OPS_BY_KIND)) for (const op of ops) expect(OPERATOR_NAMES, `${kind}: ${op}`).toContain(op);
  });

  it('no name is both an operator and an alias, and every alias stands for an operator', () => {
    for (const [alias, to] of OPERATOR_ALIASES) {
      expect(OPERATOR_NAMES).not.toContain(alias);
      expect(operators.has(to), `${alias} -> ${to}`).toBe(true);
    }
    expect(new Set(OPERATOR_NAMES).size).toBe(OPERATOR_NAMES.length);
    for (const o of ANSWER_OPERATORS) expect(operators.has(o.name)).toBe(false);
  });

  it.each([
    ['eq', 'equals'],
    ['ne', 'not_equals'],
    ['equals', 'equals'],
    ['gte', 'gte'],
    ['answered', 'answered'],
  ])('canonicalOperator(%s) is %s', (name, canonical) => expect(canonicalOperator(name)).toBe(canonical));
});

describe('a rules file accepts the questionnaire spelling', () => {
  it.each([
    ['{ country: { eq: Germany } }', 'equals', [10, 0, 0]],
    ['{ country: { ne: Germany } }', 'not_equals', [0, 10, 0]],
  ])('%s compiles to %s and scores as it', (when, canonical, points) => {
    const rules = mustCompile(RULES(when));
    const test = rules.fit.rules[0]!.when as { operator: string };
    expect(test.operator).toBe(canonical);
    // Germany, France, and a blank cell (unknown: neither fires).
    expect(scoreLeads(rules, [{ country: 'germany' }, { country: 'France' }, { country: '' }]).map((r) => r.fit)).toEqual(points);
  });

  it('names the operators by their canonical names when one is unknown', () => {
    const { errors } = compileText(RULES('{ country: { eqq: Germany } }'));
    expect(errors.map((e) => e.code)).toEqual(['RULES_UNKNOWN_OPERATOR']);
    expect(errors[0]!.message).toMatch(/did you mean "eq"\?|did you mean "equals"\?/);
    expect(errors[0]!.message).toContain('operators: equals, not_equals, in,');
  });

  it('refuses a test only answers have, as an unknown operator', () => {
    expect(compileText(RULES('{ country: { answered: true } }')).errors.map((e) => e.code)).toEqual(['RULES_UNKNOWN_OPERATOR']);
  });
});

describe('a questionnaire accepts the rules spelling', () => {
  const WHEN = '    when: { role: { in: [influencer, user] } }';
  it.each([
    ['{ role: { equals: influencer } }', 'equals'],
    ['{ role: { eq: influencer } }', 'equals'],
    ['{ role: { not_equals: champion } }', 'not_equals'],
    ['{ role: { ne: champion } }', 'not_equals'],
    ['{ role: influencer }', 'equals'],
  ])('%s loads, compiled as %s', (cond, canonical) => {
    expect(MINI).toContain(WHEN);
    const q = load(MINI.replace(WHEN, `    when: ${cond}`));
    const step = q.questions.find((x) => x.id === 'sponsor');
    expect((step?.when as Extract<Condition, { ref: string }>).op).toBe(canonical);
  });
});
