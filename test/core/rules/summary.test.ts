// `qualify rules check` internals: the score range a rules file can reach (after caps, floor
// and clamping), thresholds no score can land in, and examples that no longer hold.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summarizeRules } from '../../../src/core/rules/summary.js';
import { describeOutcome, runExamples } from '../../../src/core/rules/examples.js';
import { AS_OF, mustCompile } from '../../helpers/rules.js';

/** A rules file with the given fit/engagement sections and score range; one band per 10 points. */
function rulesWith(opts: { fit: string; engagement: string; score?: [number, number]; thresholds?: string; extra?: string }): string {
  const [min, max] = opts.score ?? [0, 100];
  return [
    'name: summary',
    'fields: { a: {}, b: {}, n: {}, d: {}, email: {} }',
    opts.fit,
    opts.engagement,
    `score: { min: ${min}, max: ${max} }`,
    opts.thresholds ?? `thresholds:\n  - { min: ${min}, max: ${max}, tier: all, stage: lead, action: x }`,
    opts.extra ?? '',
    '',
  ].join('\n');
}

describe('summarizeRules: reachable ranges', () => {
  const cases: {
    name: string;
    fit: string;
    engagement: string;
    score?: [number, number];
    expected: { fit: [number, number]; engagement: [number, number]; score: [number, number] };
  }[] = [
    {
      name: 'positive and negative rules add up separately',
      fit: 'fit: { rules: [{ id: f1, why: w, when: { a: x }, points: 20 }, { id: f2, why: w, when: { b: x }, points: 15 }, { id: f3, why: w, when: { a: y }, points: -10 }] }',
      engagement: 'engagement: { rules: [{ id: e1, why: w, when: { a: x }, points: 5 }] }',
      expected: { fit: [-10, 35], engagement: [0, 5], score: [0, 40] },
    },
    {
      name: 'category caps bound the maximum',
      fit: 'fit: { max: 25, rules: [{ id: f1, why: w, when: { a: x }, points: 20 }, { id: f2, why: w, when: { b: x }, points: 15 }] }',
      engagement: 'engagement: { max: 10, rules: [{ id: e1, why: w, per: n, points: 5, max: 30 }] }',
      expected: { fit: [0, 25], engagement: [0, 10], score: [0, 35] },
    },
    {
      name: 'per-unit rules count at their cap',
      fit: 'fit: { rules: [{ id: f1, why: w, per: n, points: -5, max: -15 }] }',
      engagement: 'engagement: { rules: [{ id: e1, why: w, per: n, points: 2, max: 20 }] }',
      score: [-20, 100],
      expected: { fit: [-15, 0], engagement: [0, 20], score: [-15, 20] },
    },
    {
      name: 'an uncapped per-unit rule is unbounded, then clamped to the score range',
      fit: 'fit: { rules: [{ id: f1, why: w, per: n, points: 3 }] }',
      engagement: 'engagement: { rules: [{ id: e1, why: w, per: n, points: -1 }] }',
      expected: { fit: [0, Infinity], engagement: [-Infinity, 0], score: [0, 100] },
    },
    {
      name: 'the floor bounds negative engagement',
      fit: 'fit: { rules: [{ id: f1, why: w, when: { a: x }, points: 50 }] }',
      engagement: 'engagement: { floor: -10, rules: [{ id: e1, why: w, per: n, points: -1 }] }',
      score: [-100, 100],
      expected: { fit: [0, 50], engagement: [-10, 0], score: [-10, 50] },
    },
  ];
  it.each(cases)('$name', ({ fit, engagement, score, expected }) => {
    const s = summarizeRules(mustCompile(rulesWith({ fit, engagement, ...(score ? { score } : {}) })));
    expect({ fit: [s.fit.min, s.fit.max], engagement: [s.engagement.min, s.engagement.max], score: [s.score.min, s.score.max] }).toEqual(expected);
  });

  it('counts rules per category, disqualifiers and examples; disabled rules do not count', () => {
    const s = summarizeRules(
      mustCompile(
        rulesWith({
          fit: 'fit: { rules: [{ id: f1, why: w, when: { a: x }, points: 1 }, { id: f2, why: w, when: { a: y }, points: 1, enabled: false }] }',
          engagement: 'engagement: { rules: [{ id: e1, why: w, per: n, points: 1 }] }',
          extra: [
            'disqualify:',
            '  - { id: d1, why: w, when: { email: { valid_email: false } } }',
            '  - { id: d2, why: w, enabled: false, when: { email: { valid_email: false } } }',
            'examples:',
            '  - { name: e, lead: { a: x }, expect: { tier: all } }',
          ].join('\n'),
        }),
      ),
    );
    expect(s).toMatchObject({ name: 'summary', fields: 5, fitRules: 1, engagementRules: 1, disqualifiers: 1, examples: 1 });
  });

  it('the default rules reach 0-100 and every tier', () => {
    const s = summarizeRules(mustCompile(readFileSync(new URL('../../../rules/default.yaml', import.meta.url), 'utf8')));
    expect(s.score).toEqual({ min: 0, max: 100 });
    expect(s.fit.max).toBe(60);
    expect(s.engagement).toEqual({ min: 0, max: 50 }); // no negative engagement rule: the floor is not reached
    expect(s.unreachableTiers).toEqual([]);
  });
});

describe('summarizeRules: thresholds no reachable score lands in', () => {
  const thresholds = [
    'thresholds:',
    '  - { min: 80, max: 100, tier: hot, stage: MQL, action: x }',
    '  - { min: 50, max: 79, tier: warm, stage: lead, action: x }',
    '  - { min: 20, max: 49, tier: cool, stage: lead, action: x }',
    '  - { min: 0, max: 19, tier: cold, stage: lead, action: x }',
  ].join('\n');
  it.each([
    ['max 60: hot unreachable', 60, 0, ['hot']],
    ['max 49: hot and warm unreachable', 49, 0, ['hot', 'warm']],
    ['max 50: warm reachable at its lower edge', 50, 0, ['hot']],
    ['everything reachable', 100, 0, []],
  ] as const)('%s', (_name, top, _bottom, unreachable) => {
    const fit = `fit: { rules: [{ id: f1, why: w, when: { a: x }, points: ${top} }] }`;
    const s = summarizeRules(mustCompile(rulesWith({ fit, engagement: 'engagement: { rules: [] }', thresholds })));
    expect([...s.unreachableTiers]).toEqual([...unreachable]);
  });

  it('a band below the lowest reachable score is unreachable', () => {
    const s = summarizeRules(
      mustCompile(
        rulesWith({
          fit: 'fit: { rules: [{ id: f1, why: w, when: { a: x }, points: -10 }, { id: f2, why: w, when: { b: x }, points: 100 }] }',
          engagement: 'engagement: { rules: [] }',
          score: [-50, 100],
          thresholds: [
            'thresholds:',
            '  - { min: 80, max: 100, tier: hot, stage: MQL, action: x }',
            '  - { min: 0, max: 79, tier: ok, stage: lead, action: x }',
            '  - { min: -10, max: -1, tier: meh, stage: lead, action: x }',
            '  - { min: -50, max: -11, tier: awful, stage: lead, action: x }',
          ].join('\n'),
        }),
      ),
    );
    expect(s.score).toEqual({ min: -10, max: 100 });
    expect(s.unreachableTiers).toEqual(['awful']);
  });
});

describe('runExamples', () => {
  const base = (examples: string) =>
    rulesWith({
      fit: 'fit: { rules: [{ id: vp, why: w, when: { a: vp }, points: 60 }, { id: big, why: w, when: { n: { gte: 100 } }, points: 30 }] }',
      engagement: 'engagement: { decay: { field: d, half_life_days: 10 }, rules: [{ id: seen, why: w, when: { b: { is: true } }, points: 40 }] }',
      thresholds: [
        'thresholds:',
        '  - { min: 80, max: 100, tier: hot, stage: MQL, action: x }',
        '  - { min: 0, max: 79, tier: low, stage: lead, action: y }',
      ].join('\n'),
      extra: `disqualify:\n  - { id: bad-email, why: w, stage: bad lead, when: { email: { valid_email: false } } }\nexamples:\n${examples}`,
    });

  it('passing examples have no failures', () => {
    const rules = mustCompile(
      base(
        [
          '  - { name: vp, lead: { a: VP, n: "150", d: "2026-11-01" }, expect: { tier: hot, stage: MQL, score: 90, class: lead } }',
          '  - { name: cold, lead: { a: VP, n: "150" }, expect: { tier: hot, stage: cold lead } }',
          '  - { name: range, lead: { a: VP }, expect: { min_score: 60, max_score: 60 } }',
          '  - { name: bad, lead: { email: "x@" }, expect: { stage: bad lead, tier: bad } }',
          '  - { name: decayed, as_of: "2026-11-01", lead: { b: "yes", d: "2026-10-22" }, expect: { score: 20, stage: lead } }',
        ].join('\n'),
      ),
    );
    const outcomes = runExamples(rules, AS_OF);
    expect(outcomes.map((o) => [o.example.name, o.failures])).toEqual([
      ['vp', []],
      ['cold', []],
      ['range', []],
      ['bad', []],
      ['decayed', []],
    ]);
  });

  it.each([
    ['tier', '{ tier: hot }', ['tier']],
    ['stage', '{ stage: MQL }', ['stage']],
    ['score', '{ score: 61 }', ['score']],
    ['min_score', '{ min_score: 61 }', ['score']],
    ['max_score', '{ max_score: 59 }', ['score']],
    ['class', '{ class: prospect }', ['class']],
    ['several at once', '{ tier: hot, stage: MQL, score: 0 }', ['tier', 'stage', 'score']],
  ] as const)('a failing %s is reported', (_name, expect_, what) => {
    const rules = mustCompile(base(`  - { name: failing, lead: { a: VP }, expect: ${expect_} }`));
    const [o] = runExamples(rules, AS_OF);
    expect(o!.result.score).toBe(60);
    expect(o!.failures.map((f) => f.split(':')[0])).toEqual([...what]);
    // The explanation names the rules that fired.
    expect(describeOutcome(o!)).toContain('vp +60');
  });

  it('the as-of date of an example is used, else the default', () => {
    const rules = mustCompile(
      base(
        [
          '  - { name: own, as_of: "2026-11-11", lead: { b: "yes", d: "2026-11-01" }, expect: { score: 20 } }',
          '  - { name: default, lead: { b: "yes", d: "2026-11-01" }, expect: { score: 40 } }',
        ].join('\n'),
      ),
    );
    expect(runExamples(rules, AS_OF).map((o) => o.failures)).toEqual([[], []]);
    // With another default as-of, only the example without its own date changes.
    expect(runExamples(rules, AS_OF + 10).map((o) => o.failures.length)).toEqual([0, 1]);
  });

  it('the default rules file keeps its examples, and breaks one when a threshold moves', () => {
    const text = readFileSync(new URL('../../../rules/default.yaml', import.meta.url), 'utf8');
    expect(runExamples(mustCompile(text), AS_OF).flatMap((o) => o.failures)).toEqual([]);
    // The quiet lead scores 57: nurture (35-59), but warm once warm starts at 55.
    const moved = text
      .replace('{ min: 60, max: 79, tier: warm', '{ min: 55, max: 79, tier: warm')
      .replace('{ min: 35, max: 59, tier: nurture', '{ min: 35, max: 54, tier: nurture');
    expect(moved).not.toBe(text);
    const failing = runExamples(mustCompile(moved), AS_OF).filter((o) => o.failures.length > 0);
    expect(failing.map((o) => o.example.name)).toEqual(['Good fit who went quiet six months ago decays to nurture']);
    expect(failing[0]!.result.score).toBe(57);
    expect(failing[0]!.failures).toHaveLength(1);
    expect(failing[0]!.failures[0]).toMatch(/^tier: /);
  });
});
