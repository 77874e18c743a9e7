// What a rules file amounts to, for `qualify rules check`: rule counts per category and the
// range of scores the rules can actually reach. Pure.
import type { CompiledRule, CompiledRules } from './compiled.js';

export interface RulesSummary {
  name: string;
  fields: number;
  fitRules: number;
  engagementRules: number;
  disqualifiers: number;
  examples: number;
  fit: { min: number; max: number };
  engagement: { min: number; max: number };
  /** Reachable total after caps, floor and clamping. */
  score: { min: number; max: number };
  /** Thresholds no reachable score can land in. */
  unreachableTiers: string[];
}

/** Lowest and highest points a category's rules can give (per-unit rules without max are unbounded). */
function categoryRange(list: CompiledRule[]): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const r of list) {
    const reach = r.per === null ? r.points : r.per.max ?? (r.points > 0 ? Infinity : r.points < 0 ? -Infinity : 0);
    if (reach > 0) max += reach;
    else min += reach;
  }
  return { min, max };
}

export function summarizeRules(rules: CompiledRules): RulesSummary {
  const fit = categoryRange(rules.fit.rules);
  if (rules.fit.max !== null) fit.max = Math.min(fit.max, rules.fit.max);
  const engagement = categoryRange(rules.engagement.rules);
  if (rules.engagement.max !== null) engagement.max = Math.min(engagement.max, rules.engagement.max);
  if (rules.engagement.floor !== null) engagement.min = Math.max(engagement.min, rules.engagement.floor);
  const clamp = (n: number) => Math.max(rules.score.min, Math.min(rules.score.max, n));
  const score = { min: clamp(fit.min + engagement.min), max: clamp(fit.max + engagement.max) };
  const unreachableTiers = rules.thresholds.filter((t) => t.max < score.min || t.min > score.max).map((t) => t.tier);
  return {
    name: rules.name,
    fields: rules.fields.length,
    fitRules: rules.fit.rules.length,
    engagementRules: rules.engagement.rules.length,
    disqualifiers: rules.disqualifiers.length,
    examples: rules.examples.length,
    fit,
    engagement,
    score,
    unreachableTiers,
  };
}
