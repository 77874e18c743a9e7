// Test helpers: compile rules from YAML text, score rows by canonical field name.
import { parseYamlSource } from '../../src/core/yaml-source.js';
import { compileRules } from '../../src/core/rules/compile.js';
import type { CompiledRules } from '../../src/core/rules/compiled.js';
import { createScorer, type ScoreResult } from '../../src/core/scoring/engine.js';
import { parseDate } from '../../src/core/values.js';
import type { QualifyError } from '../../src/core/errors.js';

export function compileText(yaml: string, file = 'rules.yaml'): { rules?: CompiledRules; errors: QualifyError[] } {
  const parsed = parseYamlSource(file, yaml);
  if (!parsed.source) return { errors: parsed.errors };
  const r = compileRules(parsed.source);
  return r.ok ? { rules: r.rules, errors: [] } : { errors: r.errors };
}

export function mustCompile(yaml: string): CompiledRules {
  const { rules, errors } = compileText(yaml);
  if (!rules) throw new Error('rules did not compile:\n' + errors.map((e) => `${e.code} ${e.at?.kind === 'yaml' ? `${e.at.line}:${e.at.col}` : ''} ${e.message}`).join('\n'));
  return rules;
}

export const AS_OF = parseDate('2026-11-01', 'ymd')!;

/** Scores leads given as { field: value } objects, in order (so duplicates are seen). */
export function scoreLeads(rules: CompiledRules, leads: Record<string, string>[], asOfDay = AS_OF): ScoreResult[] {
  const header = rules.fields.map((f) => f.name);
  const scorer = createScorer(rules, header, { asOfDay, file: 'test.csv' });
  return leads.map((lead, i) => scorer.score(header.map((h) => lead[h] ?? ''), i + 1));
}
