// The cell values a rule read for one lead: what `explain` shows beside each reason, so a person
// sees why the rule fired (`Title="VP Sales"`). Pure: the compiled rules, the column binding and
// the row.
import type { CompiledRules } from '../rules/compiled.js';
import { fieldsOfCondition } from '../rules/compiled.js';

/**
 * For a rule id, `Name="value"` for every field its condition (and its `per` count) reads, in
 * the row; '' for a rule id that is not a rule (caps, decay, clamping). A field without a column
 * in the file reads as "".
 */
export function ruleEvidence(rules: CompiledRules, columnOf: ArrayLike<number>, row: readonly string[]): (ruleId: string) => string {
  const allRules = [...rules.fit.rules, ...rules.engagement.rules, ...rules.disqualifiers.map((d) => ({ ...d, per: null }))];
  return (ruleId) => {
    const rule = allRules.find((x) => x.id === ruleId);
    if (!rule) return '';
    const fields = fieldsOfCondition(rule.when);
    if (rule.per) fields.add(rule.per.field);
    return [...fields]
      .map((f) => {
        const col = columnOf[f]!;
        return `${rules.fields[f]!.name}=${JSON.stringify(col >= 0 ? (row[col] ?? '') : '')}`;
      })
      .join(' ');
  };
}
