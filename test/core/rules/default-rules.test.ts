import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileText } from '../../helpers/rules.js';
import { runExamples } from '../../../src/core/rules/examples.js';
import { AS_OF } from '../../helpers/rules.js';

describe('rules/default.yaml', () => {
  const text = readFileSync(new URL('../../../rules/default.yaml', import.meta.url), 'utf8');
  const { rules, errors } = compileText(text, 'rules/default.yaml');

  it('compiles without errors', () => {
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(rules?.fields.length).toBeGreaterThan(10);
  });

  it('keeps every example it declares', () => {
    const outcomes = runExamples(rules!, AS_OF);
    expect(outcomes.length).toBeGreaterThanOrEqual(5);
    for (const o of outcomes) expect({ name: o.example.name, failures: o.failures, reasons: o.result.reasons.map((r) => r.label) }).toMatchObject({ failures: [] });
  });
});
