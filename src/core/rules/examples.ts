// Runs the examples written in a rules file through the engine: a unit test for the scoring
// model, kept beside it. Pure: the leads come from the rules themselves.
import { createScorer, formatReasons, type ScoreResult } from '../scoring/engine.js';
import { parseDate } from '../values.js';
import type { CompiledExample, CompiledRules } from './compiled.js';

export interface ExampleOutcome {
  example: CompiledExample;
  result: ScoreResult;
  /** What did not hold, e.g. `tier: expected hot, got warm`; empty when the example passes. */
  failures: string[];
}

export function runExamples(rules: CompiledRules, defaultAsOfDay: number): ExampleOutcome[] {
  const header = rules.fields.map((f) => f.name);
  return rules.examples.map((example) => {
    const asOf = example.asOf !== null ? (parseDate(example.asOf, 'ymd') ?? defaultAsOfDay) : defaultAsOfDay;
    const scorer = createScorer(rules, header, { asOfDay: asOf, file: rules.source });
    const row = header.map((name) => example.lead[name] ?? '');
    const result = scorer.score(row, 1);
    const e = example.expect;
    const failures: string[] = [];
    const check = (what: string, expected: unknown, got: unknown) => {
      if (expected !== undefined && String(expected) !== String(got)) failures.push(`${what}: expected ${String(expected)}, got ${String(got)}`);
    };
    check('tier', e.tier, result.tier);
    check('stage', e.stage, result.stage);
    check('class', e.class, result.class);
    check('grade', e.grade, result.grade);
    check('score', e.score, result.score);
    if (e.min_score !== undefined && result.score < e.min_score) failures.push(`score: expected at least ${e.min_score}, got ${result.score}`);
    if (e.max_score !== undefined && result.score > e.max_score) failures.push(`score: expected at most ${e.max_score}, got ${result.score}`);
    return { example, result, failures };
  });
}

export function describeOutcome(o: ExampleOutcome): string {
  return `score ${o.result.score}, tier ${o.result.tier}, stage ${o.result.stage}; rules fired: ${formatReasons(o.result.reasons) || 'none'}`;
}
