// qualify diff's accumulator: a rule that changes every lead's score alike (calibrate's
// base-points offset) moves no lead against another, so it is reported once and left out of
// each crossing's "rules responsible"; a rule whose points vary from lead to lead stays.
import { describe, expect, it } from 'vitest';
import { DiffAccumulator } from '../../src/core/calibrate/diff.js';
import type { ScoreResult } from '../../src/core/scoring/engine.js';

function result(record: number, stage: string, reasons: [rule: string, points: number][]): ScoreResult {
  const score = reasons.reduce((t, [, p]) => t + p, 0);
  return {
    record,
    fit: score,
    engagement: 0,
    score,
    tier: stage === 'MQL' ? 'hot' : 'low',
    grade: null,
    stage,
    class: '',
    action: '',
    reasons: reasons.map(([rule, points]) => ({ rule, points, why: '', label: '' })),
    disqualifiedBy: null,
  };
}

describe('DiffAccumulator: rules that change every lead alike', () => {
  it('reports base-points once and lists only the rules that move leads apart', () => {
    const acc = new DiffAccumulator(['hot', 'low'], ['MQL', 'lead']);
    // Old: age scores; new: an offset on every lead, age reweighted, calls new.
    acc.add(result(1, 'lead', [['age', 10]]), result(1, 'MQL', [['base-points', 36], ['age', 20], ['calls', -4]]), 'L1');
    acc.add(result(2, 'MQL', [['age', 10], ['mobile', 5]]), result(2, 'lead', [['base-points', 36], ['mobile', 2], ['calls', -30]]), 'L2');
    acc.add(result(3, 'lead', []), result(3, 'lead', [['base-points', 36]]), 'L3');
    const r = acc.report();
    expect(r.sameForEvery).toEqual([{ rule: 'base-points', old: null, new: 36 }]);
    expect(r.crossings.up).toBe(1);
    expect(r.crossings.down).toBe(1);
    for (const x of r.crossings.listed) expect(x.rules.map((m) => m.rule)).not.toContain('base-points');
    expect(r.crossings.listed[0]!.rules).toEqual([
      { rule: 'age', old: 10, new: 20 },
      { rule: 'calls', old: null, new: -4 },
    ]);
  });

  it('keeps a rule that fires on every lead with points that differ between leads', () => {
    const acc = new DiffAccumulator(['hot', 'low'], ['MQL', 'lead']);
    acc.add(result(1, 'lead', []), result(1, 'MQL', [['visits', 40]]), 'L1');
    acc.add(result(2, 'lead', []), result(2, 'lead', [['visits', 4]]), 'L2');
    const r = acc.report();
    expect(r.sameForEvery).toEqual([]);
    expect(r.crossings.listed[0]!.rules).toEqual([{ rule: 'visits', old: null, new: 40 }]);
  });

  it('keeps a rule that gives the same points but not to every lead', () => {
    const acc = new DiffAccumulator(['hot', 'low'], ['MQL', 'lead']);
    acc.add(result(1, 'lead', []), result(1, 'MQL', [['bonus', 50]]), 'L1');
    acc.add(result(2, 'lead', []), result(2, 'lead', []), 'L2');
    const r = acc.report();
    expect(r.sameForEvery).toEqual([]);
    expect(r.crossings.listed[0]!.rules).toEqual([{ rule: 'bonus', old: null, new: 50 }]);
  });
});
