// Properties of scoring over random rows (fast-check): with the default rules and with randomly
// generated rules, scoring never throws, explains itself (reasons add up to the score), stays in
// the declared range, is deterministic, and never changes the cells it was given.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScorer, type ScoreResult } from '../../../src/core/scoring/engine.js';
import type { CompiledRules } from '../../../src/core/rules/compiled.js';
import { AS_OF, mustCompile } from '../../helpers/rules.js';

const DEFAULT = mustCompile(readFileSync(new URL('../../../rules/default.yaml', import.meta.url), 'utf8'));
const HEADER = DEFAULT.fields.map((f) => f.name);

/** Cells as lead lists have them: any text at all, plus values the rules actually read. */
const cell = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', ' ', '"', '""', ',', '\n', '\r\n', 'a,"b"\nc', '=1+2', '\uFEFF', '\u0000', 'NaN', 'Infinity', '-0', '1e309'),
  },
  { weight: 2, arbitrary: fc.integer({ min: -1000, max: 100_000 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('1,200', '$1.2M', '12k', '(5)', '5,000', '1.5', '7.9', '2,5') },
  { weight: 2, arbitrary: fc.integer({ min: AS_OF - 800, max: AS_OF + 30 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10)) },
  { weight: 1, arbitrary: fc.constantFrom('yes', 'no', 'Y', 'n', 'true', '0', 'x') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('dana@northwind.io', 'DANA@northwind.io', 'test@test.com', 'spy@rivalcorp.com', 'jane.doe@', 'a@b.edu', 'x@gmail.com', '555-0100', '+49 30 1234567'),
  },
  { weight: 1, arbitrary: fc.constantFrom('VP of Sales', 'Head of RevOps', 'Intern', 'Student', 'SaaS', 'Referral', 'Website', 'US', 'Germany') },
);

const row = (width: number) => fc.array(cell, { minLength: width, maxLength: width });
const rows = (width: number) => fc.array(row(width), { minLength: 1, maxLength: 12 });

function checkResult(rules: CompiledRules, r: ScoreResult): void {
  const sum = r.reasons.reduce((s, x) => s + x.points, 0);
  expect(sum).toBe(r.score);
  expect(Number.isInteger(r.score) && Number.isInteger(r.fit) && Number.isInteger(r.engagement)).toBe(true);
  expect(r.score).toBeGreaterThanOrEqual(rules.score.min);
  expect(r.score).toBeLessThanOrEqual(rules.score.max);
  const tiers = new Set([...rules.thresholds.map((t) => t.tier), 'bad', 'disqualified']);
  expect(tiers.has(r.tier)).toBe(true);
  if (r.disqualifiedBy === null) {
    const band = rules.thresholds.find((t) => r.score >= t.min && r.score <= t.max);
    expect(r.tier).toBe(band?.tier);
  }
  if (rules.engagement.floor !== null) expect(r.engagement).toBeGreaterThanOrEqual(rules.engagement.floor);
  if (rules.fit.max !== null) expect(r.fit).toBeLessThanOrEqual(rules.fit.max);
  for (const x of r.reasons) expect(x.label).not.toMatch(/NaN|undefined|Infinity/);
}

function scoreAll(rules: CompiledRules, header: string[], input: string[][]): ScoreResult[] {
  const scorer = createScorer(rules, header, { asOfDay: AS_OF, file: 'p.csv' });
  return input.map((r, i) => scorer.score(r, i + 1));
}

describe('default rules on random rows', () => {
  it('never throws; reasons add up to the score; the score stays in range', () => {
    fc.assert(
      fc.property(rows(HEADER.length), (input) => {
        for (const r of scoreAll(DEFAULT, HEADER, input)) checkResult(DEFAULT, r);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same rows twice give deep-equal results', () => {
    fc.assert(
      fc.property(rows(HEADER.length), (input) => {
        expect(scoreAll(DEFAULT, HEADER, input)).toEqual(scoreAll(DEFAULT, HEADER, input));
      }),
      { numRuns: 100 },
    );
  });

  it('leaves every input cell unchanged', () => {
    fc.assert(
      fc.property(rows(HEADER.length), (input) => {
        const copy = input.map((r) => [...r]);
        // Frozen rows also make any write attempt throw in strict mode.
        scoreAll(DEFAULT, HEADER, input.map((r) => Object.freeze(r) as string[]));
        expect(input).toEqual(copy);
      }),
      { numRuns: 150 },
    );
  });

  it('works with extra columns, shuffled columns and alias headers', () => {
    const aliasHeader = fc
      .tuple(
        fc.shuffledSubarray(DEFAULT.fields.map((f) => [f.name, ...f.aliases]), { minLength: DEFAULT.fields.length }),
        fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 5 }),
        fc.nat(),
      )
      .map(([fields, extra, seed]) => [...fields.map((names, i) => names[(seed + i) % names.length]!), ...extra.map((e) => `x-${e}`)]);
    fc.assert(
      fc.property(aliasHeader.chain((header) => fc.tuple(fc.constant(header), rows(header.length))), ([header, input]) => {
        const copy = input.map((r) => [...r]);
        for (const r of scoreAll(DEFAULT, header, input)) checkResult(DEFAULT, r);
        expect(input).toEqual(copy);
      }),
      { numRuns: 150 },
    );
  });

  it('rows shorter or longer than the header are scored without throwing', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: HEADER.length + 3 }), { minLength: 1, maxLength: 8 }), (input) => {
        for (const r of scoreAll(DEFAULT, HEADER, input)) checkResult(DEFAULT, r);
      }),
      { numRuns: 150 },
    );
  });
});

describe('random rules on random rows', () => {
  // A rules file with random points, caps, floor, decay and score range; fields a..d.
  const ruleSet = fc
    .record({
      fitRules: fc.array(fc.tuple(fc.integer({ min: -60, max: 60 }), fc.constantFrom('a', 'b', 'c'), fc.boolean(), fc.integer({ min: 1, max: 80 })), { minLength: 1, maxLength: 5 }),
      engRules: fc.array(fc.tuple(fc.integer({ min: -60, max: 60 }), fc.constantFrom('a', 'b', 'c'), fc.boolean(), fc.integer({ min: 1, max: 80 })), { maxLength: 5 }),
      // Caps are 0 or more and the floor is not above the cap: rules check refuses the rest.
      fitMax: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      engMax: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      floor: fc.option(fc.integer({ min: -50, max: 20 }), { nil: undefined }),
      halfLife: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
      min: fc.integer({ min: -50, max: 0 }),
      span: fc.integer({ min: 1, max: 150 }),
      cut: fc.integer({ min: 0, max: 100 }),
    })
    .map((p) => {
      const rule = (cat: string) => ([points, field, per, cap]: [number, string, boolean, number], i: number) =>
        per
          ? `    - { id: ${cat}${i}, why: w, per: ${field}, points: ${points}${points === 0 ? '' : `, max: ${points > 0 ? cap : -cap}`} }`
          : `    - { id: ${cat}${i}, why: w, when: { ${field}: { gte: ${cap} } }, points: ${points} }`;
      const max = p.min + p.span;
      const mid = p.min + Math.floor((p.cut / 100) * p.span);
      const thresholds =
        mid > p.min
          ? [`  - { min: ${p.min}, max: ${mid - 1}, tier: low, stage: lead, action: a }`, `  - { min: ${mid}, max: ${max}, tier: high, stage: MQL, action: b }`]
          : [`  - { min: ${p.min}, max: ${max}, tier: all, stage: lead, action: a }`];
      return [
        'name: random',
        'fields: { email: { optional: true }, a: {}, b: {}, c: {}, d: {} }',
        'fit:',
        ...(p.fitMax !== undefined ? [`  max: ${p.fitMax}`] : []),
        '  rules:',
        ...p.fitRules.map(rule('f')),
        'engagement:',
        ...(p.engMax !== undefined ? [`  max: ${p.engMax}`] : []),
        ...(p.floor !== undefined ? [`  floor: ${p.engMax !== undefined ? Math.min(p.floor, p.engMax) : p.floor}`] : []),
        ...(p.halfLife !== undefined ? [`  decay: { field: d, half_life_days: ${p.halfLife} }`] : []),
        ...(p.engRules.length ? ['  rules:', ...p.engRules.map(rule('e'))] : ['  rules: []']),
        'duplicates: { field: email }',
        `score: { min: ${p.min}, max: ${max} }`,
        'thresholds:',
        ...thresholds,
        '',
      ].join('\n');
    });
  const numberish = fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), fc.constantFrom('', 'n/a', '1,000', '12.9'));
  const dateish = fc.oneof(fc.integer({ min: AS_OF - 2000, max: AS_OF + 60 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10)), fc.constantFrom('', 'never'));
  const leadRow = fc.tuple(fc.constantFrom('', 'a@x.io', 'A@X.io', 'b@x.io'), numberish, numberish, numberish, dateish).map((t) => [...t]);

  it('every result explains itself, whatever the rules', () => {
    fc.assert(
      fc.property(ruleSet, fc.array(leadRow, { minLength: 1, maxLength: 10 }), (yaml, input) => {
        const rules = mustCompile(yaml);
        const header = ['email', 'a', 'b', 'c', 'd'];
        for (const r of scoreAll(rules, header, input)) checkResult(rules, r);
      }),
      { numRuns: 300 },
    );
  });
});
