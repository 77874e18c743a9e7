// The scoring engine on small, explicit rules files: decay, caps, floor, clamping, per-unit
// points, thresholds, stages (sales lead, cold lead, human-set), disqualifiers, duplicates,
// grades and unreadable values. Every result is also checked to explain itself: its reasons
// add up to its score.
import { describe, expect, it } from 'vitest';
import { createScorer, type ScoreResult } from '../../../src/core/scoring/engine.js';
import { parseDate } from '../../../src/core/values.js';
import { AS_OF, mustCompile, scoreLeads } from '../../helpers/rules.js';

const RULES = mustCompile(`
name: engine tests
settings:
  sales_sources: [Referral, Outbound]
  key_fit_fields: [title, employees]
  cold_action: first outreach
  placeholders: [test, asdf]
fields:
  email: {}
  title: { optional: true }
  employees: { optional: true }
  source: { optional: true }
  visits: { optional: true }
  downloads: { optional: true }
  complaints: { optional: true }
  unsubscribed: { optional: true }
  zero: { optional: true }
  last_activity: { optional: true }
fit:
  max: 30
  rules:
    - { id: "title:vp", why: VPs buy, when: { title: { contains: vp } }, points: 20 }
    - { id: "size:core", why: right size, when: { employees: { between: [50, 5000] } }, points: 15 }
    - { id: "size:tiny", why: too small, when: { employees: { lt: 10 } }, points: -40 }
    - { id: complaints, why: each complaint hurts, per: complaints, points: -5, max: -15 }
engagement:
  max: 50
  floor: -10
  decay: { field: last_activity, half_life_days: 10 }
  rules:
    - { id: visits, why: each visit, per: visits, points: 2, max: 20 }
    - { id: downloads, why: each download, per: downloads, points: 10 }
    - { id: unsubscribed, why: opted out, when: { unsubscribed: { is: true } }, points: -25 }
    - { id: zero, why: worth nothing, when: { zero: { present: true } }, points: 0 }
disqualify:
  - { id: "email:invalid", why: malformed email, stage: bad lead, when: { email: { valid_email: false } } }
  - { id: competitor, why: works at a competitor, when: { email: { domain_in: [rivalcorp.com] } } }
  - { id: fake, why: placeholder email, stage: bad lead, when: { email: { placeholder: true } } }
  - { id: student, why: student, when: { email: { ends_with: .edu } } }
duplicates: { field: email }
score: { min: 0, max: 100 }
thresholds:
  - { min: 80, max: 100, tier: hot, stage: MQL, action: call }
  - { min: 40, max: 79, tier: warm, stage: lead, action: nurture }
  - { min: 0, max: 39, tier: low, stage: lead, action: wait }
grade:
  fit: { A: 25, B: 15, C: 0 }
  engagement: { "1": 30, "2": 10, "3": 0 }
`);

/** Days before the as-of date (2026-11-01), as an ISO date. */
function daysAgo(n: number): string {
  return new Date((AS_OF - n) * 86_400_000).toISOString().slice(0, 10);
}

function pointsOf(r: ScoreResult, rule: string): number | undefined {
  const found = r.reasons.filter((x) => x.rule === rule);
  return found.length ? found.reduce((s, x) => s + x.points, 0) : undefined;
}

/** Scores one lead and checks the invariant every result must hold. */
function score1(lead: Record<string, string>, rules = RULES): ScoreResult {
  const [r] = scoreLeads(rules, [{ email: 'dana@northwind.io', ...lead }]);
  expectExplained(r!);
  return r!;
}

function expectExplained(r: ScoreResult): void {
  expect(r.reasons.reduce((s, x) => s + x.points, 0), `reasons of record ${r.record} add up to the score`).toBe(r.score);
  expect(r.fit + r.engagement + (pointsOf(r, 'score-range') ?? 0)).toBe(r.score);
}

it('daysAgo helper and as-of agree', () => {
  expect(parseDate(daysAgo(10), 'ymd')).toBe(AS_OF - 10);
});

describe('decay: engagement halves every half_life_days (10 here) by the age of the last activity', () => {
  // 4 downloads = 40 engagement points before decay.
  const cases: [string, string, number, number | undefined][] = [
    ['activity on the as-of date', daysAgo(0), 40, undefined],
    ['one half-life', daysAgo(10), 20, -20],
    ['two half-lives', daysAgo(20), 10, -30],
    ['half a half-life: 40 x 0.707 = 28.28, rounded', daysAgo(5), 28, -12],
    ['a year: decays to nothing', daysAgo(365), 0, -40],
    ['no date: no decay', '', 40, undefined],
    ['unreadable date: no decay', 'soon', 40, undefined],
    ['future date: no decay', '2026-12-01', 40, undefined],
    ['US date one half-life ago', '10/22/2026', 20, -20],
  ];
  it.each(cases)('%s', (_name, lastActivity, engagement, decay) => {
    const r = score1({ downloads: '4', last_activity: lastActivity });
    expect(r.engagement).toBe(engagement);
    expect(pointsOf(r, 'decay')).toBe(decay);
  });

  it('applies after the engagement cap (60 capped to 50, then halved)', () => {
    const r = score1({ downloads: '6', last_activity: daysAgo(10) });
    expect(pointsOf(r, 'engagement-cap')).toBe(-10);
    expect(pointsOf(r, 'decay')).toBe(-25);
    expect(r.engagement).toBe(25);
    const order = r.reasons.map((x) => x.rule);
    expect(order.indexOf('engagement-cap')).toBeLessThan(order.indexOf('decay'));
  });

  it('does not decay negative engagement', () => {
    const r = score1({ unsubscribed: 'yes', visits: '5', last_activity: daysAgo(30) });
    expect(pointsOf(r, 'decay')).toBeUndefined();
    expect(r.engagement).toBe(-10); // -25 + 10 = -15, floored at -10
  });

  it('is relative to the as-of date, not to today', () => {
    const lead = { email: 'a@northwind.io', downloads: '4', last_activity: '2026-10-22' };
    const [early] = scoreLeads(RULES, [lead], AS_OF - 10);
    const [late] = scoreLeads(RULES, [lead], AS_OF + 10);
    expect(early!.engagement).toBe(40);
    expect(late!.engagement).toBe(10); // as-of 2026-11-11 is 20 days after 2026-10-22: 40 / 4
  });
});

describe('caps', () => {
  it.each([
    ['under the cap', '5', 10, false],
    ['at the cap', '10', 20, false],
    ['over the cap', '30', 20, true],
    ['fraction: whole units only', '7.9', 14, false],
    ['thousands separator', '1,000', 20, true],
  ] as const)('per-rule cap on visits (2 each, max 20): %s', (_name, visits, points, capped) => {
    const r = score1({ visits, last_activity: daysAgo(0) });
    expect(pointsOf(r, 'visits')).toBe(points);
    expect(r.reasons.find((x) => x.rule === 'visits')!.label.includes('cap')).toBe(capped);
  });

  it.each([
    ['0', undefined],
    ['-3', undefined],
    ['0.9', undefined],
    ['', undefined],
    ['lots', undefined],
  ])('per-unit rule with %j units gives nothing and no reason', (visits, points) => {
    const r = score1({ visits, last_activity: daysAgo(0) });
    expect(pointsOf(r, 'visits')).toBe(points);
  });

  it('fit category cap: 20 + 15 capped to 30', () => {
    const r = score1({ title: 'VP Sales', employees: '200' });
    expect(pointsOf(r, 'title:vp')).toBe(20);
    expect(pointsOf(r, 'size:core')).toBe(15);
    expect(pointsOf(r, 'fit-cap')).toBe(-5);
    expect(r.fit).toBe(30);
  });

  it('engagement category cap: 20 + 40 capped to 50', () => {
    const r = score1({ visits: '10', downloads: '4', last_activity: daysAgo(0) });
    expect(pointsOf(r, 'engagement-cap')).toBe(-10);
    expect(r.engagement).toBe(50);
  });

  it('no cap entry when under the cap', () => {
    const r = score1({ title: 'VP', visits: '1', last_activity: daysAgo(0) });
    expect(pointsOf(r, 'fit-cap')).toBeUndefined();
    expect(pointsOf(r, 'engagement-cap')).toBeUndefined();
  });
});

describe('per-unit rules with negative points', () => {
  it.each([
    ['1', -5, false],
    ['2', -10, false],
    ['3', -15, false],
    ['5', -15, true],
  ] as const)('%s complaints', (complaints, points, capped) => {
    const r = score1({ title: 'VP', complaints });
    expect(pointsOf(r, 'complaints')).toBe(points);
    expect(r.reasons.find((x) => x.rule === 'complaints')!.label.includes('cap')).toBe(capped);
    expect(r.fit).toBe(20 + points);
  });
});

describe('engagement floor', () => {
  it('lifts negative engagement to the floor with its own entry', () => {
    const r = score1({ unsubscribed: 'yes', last_activity: daysAgo(0) });
    expect(pointsOf(r, 'unsubscribed')).toBe(-25);
    expect(pointsOf(r, 'engagement-floor')).toBe(15);
    expect(r.engagement).toBe(-10);
  });

  it('leaves engagement above the floor alone', () => {
    const r = score1({ unsubscribed: 'yes', downloads: '2', last_activity: daysAgo(0) });
    expect(r.engagement).toBe(-5);
    expect(pointsOf(r, 'engagement-floor')).toBeUndefined();
  });
});

describe('clamping to score.min..score.max', () => {
  const CLAMP = mustCompile(`
name: clamp
fields:
  email: {}
  a: { optional: true }
  b: { optional: true }
fit:
  rules:
    - { id: big, why: big, when: { a: { is: true } }, points: 70 }
    - { id: bad, why: bad, when: { b: { is: true } }, points: -30 }
engagement:
  rules:
    - { id: eng, why: eng, when: { a: { is: true } }, points: 45 }
score: { min: 0, max: 100 }
thresholds:
  - { min: 0, max: 100, tier: any, stage: lead, action: none }
`);
  it.each([
    ['above the maximum', { a: 'yes' }, 100, -15],
    ['below the minimum', { b: 'yes' }, 0, 30],
    ['inside the range', {}, 0, undefined],
  ] as const)('%s', (_name, lead, score, clampPoints) => {
    const r = score1(lead, CLAMP);
    expect(r.score).toBe(score);
    expect(pointsOf(r, 'score-range')).toBe(clampPoints);
  });
});

describe('fit is unknown, not zero, when every key fit field is blank', () => {
  it.each([
    [{}, true],
    [{ title: '  ' }, true],
    [{ title: 'Engineer' }, false],
    [{ employees: '12' }, false],
  ] as [Record<string, string>, boolean][])('%j -> fit-unknown %s', (lead, unknown) => {
    const r = score1(lead);
    const entry = r.reasons.find((x) => x.rule === 'fit-unknown');
    expect(entry !== undefined).toBe(unknown);
    if (entry) expect(entry.points).toBe(0);
  });
});

describe('thresholds -> tier, stage, action', () => {
  // Fit 20 (VP) + engagement 2 per visit; activity today so the lead is not cold.
  it.each([
    ['0 visits: fit only', '0', 20, 'low', 'lead', 'wait'],
    ['9 visits: 38', '9', 38, 'low', 'lead', 'wait'],
    ['10 visits: 40, the lower edge of warm', '10', 40, 'warm', 'lead', 'nurture'],
  ] as const)('%s', (_name, visits, score, tier, stage, action) => {
    const r = score1({ title: 'VP', visits, last_activity: daysAgo(0) });
    expect({ score: r.score, tier: r.tier, stage: r.stage, action: r.action }).toEqual({ score, tier, stage, action });
  });

  it('79 is warm and 80 is hot (MQL)', () => {
    // fit 30 (capped) + 10 downloads... use the engagement cap: 50 + 30 = 80.
    const hot = score1({ title: 'VP', employees: '200', downloads: '5', last_activity: daysAgo(0) });
    expect([hot.score, hot.tier, hot.stage, hot.action, hot.class]).toEqual([80, 'hot', 'MQL', 'call', 'lead']);
    const warm = score1({ title: 'VP', employees: '200', downloads: '4', visits: '4', last_activity: daysAgo(0) });
    expect([warm.score, warm.tier, warm.stage]).toEqual([78, 'warm', 'lead']);
  });
});

describe('stages decided outside the thresholds', () => {
  it.each([' referral ', 'OUTBOUND'])('a sales source (%j) makes a sales lead, not an MQL', (source) => {
    const r = score1({ title: 'VP', employees: '200', downloads: '5', last_activity: daysAgo(0), source });
    expect([r.tier, r.stage]).toEqual(['hot', 'sales lead']);
  });

  it('a sales source makes a sales lead even with no engagement (not cold)', () => {
    expect(score1({ source: 'Referral' }).stage).toBe('sales lead');
  });

  it.each([
    ['no engagement and no last activity', {}, 'cold lead'],
    ['only a zero-point engagement rule fired', { zero: 'x' }, 'cold lead'],
    ['a last activity date but nothing else', { last_activity: daysAgo(100) }, 'lead'],
    ['engagement fired, no date', { visits: '1' }, 'lead'],
    ['negative engagement fired', { unsubscribed: 'yes' }, 'lead'],
    ['unreadable last activity', { last_activity: 'someday' }, 'cold lead'],
  ] as [string, Record<string, string>, string][])('%s -> %s', (_name, lead, stage) => {
    const r = score1(lead);
    expect(r.stage).toBe(stage);
    if (stage === 'cold lead') expect(r.action).toBe('first outreach');
  });
});

describe('disqualifiers win over any score', () => {
  it.each([
    ['malformed email', 'jane.doe@', 'email:invalid', 'bad lead', 'bad'],
    ['competitor', 'spy@eu.rivalcorp.com', 'competitor', 'disqualified', 'disqualified'],
    ['placeholder', 'test@test.com', 'fake', 'bad lead', 'bad'],
  ] as const)('%s', (_name, email, by, stage, tier) => {
    const r = score1({ email, title: 'VP', employees: '200', downloads: '5', last_activity: daysAgo(0) });
    expect({ disqualifiedBy: r.disqualifiedBy, stage: r.stage, tier: r.tier }).toEqual({ disqualifiedBy: by, stage, tier });
    expect(r.score).toBe(80); // the score is still computed and explained
    expect(pointsOf(r, by)).toBe(0);
  });

  it('the first that applies decides; every one that applies is listed, in file order', () => {
    // Both disqualifiers apply; the first (disqualified) decides over the second (bad lead).
    const both = mustCompile(RULES_TEXT_WITH_SECOND_COMPETITOR);
    const r3 = score1({ email: 'spy@rivalcorp.com' }, both);
    expect([r3.disqualifiedBy, r3.stage, r3.tier]).toEqual(['competitor', 'disqualified', 'disqualified']);
    const r4 = score1({ email: 'spy@fabrikam.com' }, both);
    expect([r4.disqualifiedBy, r4.stage, r4.tier]).toEqual(['competitor-2', 'bad lead', 'bad']);
    expect(r3.reasons.filter((x) => x.points === 0 && ['competitor', 'competitor-2'].includes(x.rule)).map((x) => x.rule)).toEqual(['competitor', 'competitor-2']);
  });

  it('a sales source does not lift a disqualified lead', () => {
    const r = score1({ email: 'spy@rivalcorp.com', source: 'Referral' });
    expect(r.stage).toBe('disqualified');
  });

  it('a blank email is not malformed (valid_email: false is unknown on it)', () => {
    const r = score1({ email: '' });
    expect(r.disqualifiedBy).toBeNull();
  });
});

const RULES_TEXT_WITH_SECOND_COMPETITOR = `
name: two competitors
fields:
  email: {}
fit: { rules: [] }
engagement: { rules: [] }
disqualify:
  - { id: competitor, why: competitor, when: { email: { domain_in: [rivalcorp.com] } } }
  - { id: competitor-2, why: competitor again, stage: bad lead, when: { email: { ends_with: .com } } }
score: { min: 0, max: 10 }
thresholds:
  - { min: 0, max: 10, tier: any, stage: lead, action: none }
`;

describe('duplicates within the file: the first occurrence wins', () => {
  const leads = [
    { email: 'Dana@Northwind.io' },
    { email: 'lee@fabrikam.com' },
    { email: '  dana@northwind.IO ' },
    { email: '' },
    { email: '' },
    { email: 'DANA@NORTHWIND.IO' },
  ];
  const results = scoreLeads(RULES, leads);

  it.each([
    [1, null],
    [2, null],
    [3, 1],
    [4, null],
    [5, null],
    [6, 1],
  ] as const)('record %i duplicates %s', (record, first) => {
    const r = results[record - 1]!;
    expectExplained(r);
    const dup = r.reasons.find((x) => x.rule === 'duplicate');
    if (first === null) {
      expect(dup).toBeUndefined();
      expect(r.disqualifiedBy).not.toBe('duplicate');
    } else {
      expect(dup?.label).toBe(`duplicate of record ${first}`);
      expect(dup?.points).toBe(0);
      expect({ stage: r.stage, tier: r.tier, by: r.disqualifiedBy }).toEqual({ stage: 'bad lead', tier: 'bad', by: 'duplicate' });
    }
  });

  it('a duplicate that also meets a disqualifier is reported as a duplicate, with both listed', () => {
    const [, second] = scoreLeads(RULES, [{ email: 'spy@rivalcorp.com' }, { email: 'SPY@rivalcorp.com' }]);
    expect(second!.disqualifiedBy).toBe('duplicate');
    expect(second!.reasons.map((x) => x.rule)).toEqual(expect.arrayContaining(['duplicate', 'competitor']));
  });

  it('each scorer has its own index (a new file starts fresh)', () => {
    const [a] = scoreLeads(RULES, [{ email: 'dana@northwind.io' }]);
    expect(a!.disqualifiedBy).toBeNull();
  });
});

describe('a stage set by a person is kept on re-scoring', () => {
  const header = ['email', 'title', 'downloads', 'last_activity', 'stage', 'class', 'action', 'qualified_at'];
  const scoreRow = (row: Record<string, string>) =>
    createScorer(RULES, header, { asOfDay: AS_OF, file: 't.csv' }).score(header.map((h) => row[h] ?? ''), 1);

  it.each([
    ['SQL in the stage column', { stage: 'SQL', class: 'prospect' }, 'SQL', 'prospect'],
    ['SAL in the stage column', { stage: 'SAL', class: 'lead' }, 'SAL', 'lead'],
    ['opportunity in the stage column', { stage: 'opportunity', class: 'opportunity' }, 'opportunity', 'opportunity'],
    ['a stage with qualified_at set', { stage: 'lead', qualified_at: '2026-10-01', class: 'lead' }, 'lead', 'lead'],
    ['SQL on a disqualified lead', { email: 'spy@rivalcorp.com', stage: 'SQL', class: 'prospect' }, 'SQL', 'prospect'],
  ] as [string, Record<string, string>, string, string][])('%s', (_name, row, stage, klass) => {
    const r = scoreRow({ email: 'dana@northwind.io', downloads: '5', last_activity: daysAgo(0), action: 'call back', ...row });
    expectExplained(r);
    expect([r.stage, r.class]).toEqual([stage, klass]);
    expect(r.action).toBe('call back');
    expect(r.reasons.find((x) => x.rule === 'human-stage')?.points).toBe(0);
  });

  it.each([
    ['a scored stage (MQL) is recomputed', { stage: 'MQL' }, 'lead'],
    ['a scored stage (cold lead) is recomputed', { stage: 'cold lead', downloads: '1' }, 'lead'],
  ] as [string, Record<string, string>, string][])('%s', (_name, row, stage) => {
    const r = scoreRow({ email: 'dana@northwind.io', last_activity: daysAgo(0), ...row });
    expect(r.stage).toBe(stage);
    expect(r.reasons.find((x) => x.rule === 'human-stage')).toBeUndefined();
  });
});

describe('grade: fit letter and engagement digit', () => {
  it.each([
    [{ title: 'VP', employees: '200', downloads: '5', last_activity: daysAgo(0) }, 'A1'], // 30 / 50
    [{ title: 'VP', downloads: '3', last_activity: daysAgo(0) }, 'B1'], // 20 / 30: band minimums are inclusive
    [{ employees: '200', downloads: '1', last_activity: daysAgo(0) }, 'B2'], // 15 / 10
    [{ visits: '4', last_activity: daysAgo(0) }, 'C3'], // 0 / 8
    [{ employees: '5', unsubscribed: 'yes' }, 'C3'], // -40 / -10: below the lowest band takes the lowest
  ] as [Record<string, string>, string][])('%j -> %s', (lead, grade) => {
    expect(score1(lead).grade).toBe(grade);
  });

  it('is null when the rules define no grade', () => {
    const r = score1({}, mustCompile(RULES_TEXT_WITH_SECOND_COMPETITOR));
    expect(r.grade).toBeNull();
  });
});

describe('unreadable values are counted once per row per field', () => {
  const COUNT = mustCompile(`
name: unreadable
fields:
  email: {}
  employees: { optional: true }
  revenue: { optional: true }
  last_activity: { optional: true }
fit:
  rules:
    - { id: a, why: a, when: { employees: { gte: 50 } }, points: 1 }
    - { id: b, why: b, when: { employees: { lt: 10 } }, points: 1 }
    - { id: c, why: c, when: { employees: { between: [10, 49] } }, points: 1 }
    - { id: d, why: d, when: { revenue: { gt: 0 } }, points: 1 }
engagement:
  rules:
    - { id: e, why: e, when: { last_activity: { within_days: 10 } }, points: 1 }
    - { id: f, why: f, when: { last_activity: { older_than_days: 100 } }, points: 1 }
score: { min: 0, max: 10 }
thresholds:
  - { min: 0, max: 10, tier: any, stage: lead, action: none }
`);
  const header = ['email', 'employees', 'revenue', 'last_activity'];
  const rows = [
    ['a@x.io', 'lots', '1M', 'yesterday'],
    ['b@x.io', '120', 'n/a', '2026-10-30'],
    ['c@x.io', 'a few', '', 'recently'],
    ['d@x.io', '', '', ''],
  ];

  it('three rules on employees, three unreadable rows of two fields', () => {
    const scorer = createScorer(COUNT, header, { asOfDay: AS_OF, file: 't.csv' });
    rows.forEach((row, i) => scorer.score(row, i + 1));
    const stats = scorer.unreadable().map((s) => ({ field: s.fieldName, column: s.column, kind: s.kind, count: s.count, record: s.exampleRecord, value: s.exampleValue }));
    expect(stats).toEqual(
      expect.arrayContaining([
        { field: 'employees', column: 'employees', kind: 'number', count: 2, record: 1, value: 'lots' },
        { field: 'revenue', column: 'revenue', kind: 'number', count: 1, record: 2, value: 'n/a' },
        { field: 'last_activity', column: 'last_activity', kind: 'date', count: 2, record: 1, value: 'yesterday' },
      ]),
    );
    expect(stats).toHaveLength(3);
  });

  it('a text seen before (dates and patterns keep their answer per text) is counted and read on every row', () => {
    const scorer = createScorer(COUNT, header, { asOfDay: AS_OF, file: 't.csv' });
    // More distinct dates than the memo holds, then the same ones again: each row's reasons are
    // those of a fresh scorer, and every unreadable one is counted.
    const day = (i: number) => new Date(Date.UTC(2010, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const dates = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? `someday ${i % 3}` : day(i)));
    const rowsOf = dates.map((d, i) => [`${i}@x.io`, '120', '', d]);
    for (let pass = 0; pass < 2; pass++) {
      rowsOf.forEach((row, i) => {
        if (i % 97 !== 0) {
          scorer.scoreShared(row, i + 1);
          return;
        }
        const fresh = createScorer(COUNT, header, { asOfDay: AS_OF, file: 't.csv' }).score(row, i + 1);
        expect(scorer.score(row, i + 1).reasons).toEqual(fresh.reasons);
      });
    }
    const unreadableDates = 2 * dates.filter((d) => d.startsWith('someday')).length;
    expect(scorer.unreadable().find((s) => s.kind === 'date')?.count).toBe(unreadableDates);
  });

  it('nothing is counted for blank or readable cells', () => {
    const scorer = createScorer(COUNT, header, { asOfDay: AS_OF, file: 't.csv' });
    scorer.score(['a@x.io', '1,200', '$1.2M', '2026-10-30'], 1);
    scorer.score(['a@x.io', '', '', ''], 2);
    expect(scorer.unreadable()).toEqual([]);
  });
});

describe('patterns keep their answer per text of a column', () => {
  const RULES_RE = mustCompile(`
name: patterns
fields:
  email: {}
  title: { optional: true }
fit:
  rules:
    - { id: vp, why: vp, when: { title: { matches: '\\bvp\\b', ignore_case: true } }, points: 1 }
    - { id: sales, why: sales, when: { title: { matches: 'sales' } }, points: 2 }
    - { id: not-vp, why: not vp, when: { not: { title: { matches: '\\bvp\\b', ignore_case: true } } }, points: 4 }
engagement:
  rules: []
score: { min: 0, max: 10 }
thresholds:
  - { min: 0, max: 10, tier: any, stage: lead, action: none }
`);
  it('gives every row the answers of the patterns themselves, past the memo bound and on repeats', () => {
    const scorer = createScorer(RULES_RE, ['email', 'title'], { asOfDay: AS_OF, file: 't.csv' });
    const titles = Array.from({ length: 5000 }, (_, i) => [`VP sales ${i}`, `sales rep ${i}`, `Vpx ${i}`, ' VP '][i % 4]!);
    for (let pass = 0; pass < 2; pass++) {
      titles.forEach((title, i) => {
        const expected = (/\bvp\b/i.test(title) ? 1 : 4) + (/sales/.test(title) ? 2 : 0);
        expect(scorer.scoreShared(['a@x.io', title], i + 1).fit).toBe(expected);
      });
    }
  });
});
