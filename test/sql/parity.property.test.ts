// Parity (property): generated rules files and rows with nasty values (blanks, `1,200`, `$1.5M`,
// `€ 40.000` with decimal ',', dates in every accepted form, Unicode, quotes, a person's stage in
// a CRM's spelling) give identical fit, engagement, score, tier, grade, stage, class, action and
// reasons in the default engine, the SQL on DuckDB and the SQL on PostgreSQL. Few, well-chosen
// cases: each one starts two SQL engines' worth of work.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { mustCompile } from '../helpers/rules.js';
import { parseDate } from '../../src/core/values.js';
import { scoreWithCli, scoreWithDuckDb, scoreWithPostgres, usePostgres } from './engines.js';

const FIELDS = {
  email: { aliases: ['E-mail Address'], optional: true },
  title: { aliases: ['Job Title'], optional: true },
  employees: { aliases: ['No. of Employees'], optional: true },
  revenue: { aliases: ['Annual Revenue'], optional: true },
  last_activity: { aliases: ['Last Activity'], optional: true },
  phone: { aliases: ['Phone'], optional: true },
  source: { aliases: ['Lead Source'], optional: true },
  website: { aliases: ['Website'], optional: true },
  opted_in: { aliases: ['Opt In'], optional: true },
};
const HEADER = ['E-mail Address', 'Job Title', 'No. of Employees', 'Annual Revenue', 'Last Activity', 'Phone', 'Lead Source', 'Website', 'Opt In'];
/** qualify's own score columns (a file scored before) and a person's marker. */
const OWN = ['fit', 'engagement', 'score', 'tier', 'stage', 'class', 'action', 'reasons', 'qualified_at'];

const NASTY = [
  '', ' ', '  \t', '0', '1', '-5', '\u22125', '+7', '12', '49', '50', '5000', '5001', '1,200', '$1,200', '$1.5M', '€ 40.000', '40.000,00 €', '1.200', '1.200,50',
  '12.500.000,00', '3 400', '3\u00a0400', "1'200", '12k', '1.5m', '2B', '(1,200)', '12%', '4.47911E+11', '1e400', '.5', '5.', '1,20', 'lots', 'n/a', '--5',
  '2026-10-30', '2026/10/30', '2026.10.30', '2026-10-30T10:00:00Z', '2026-10-30 10:00', '30/10/2026', '10/30/2026', '03/04/2026', '4.3.2025', '31/12/25', '1/2/99',
  '04-Mar-2025', '4 March 2026', 'Mar 4, 2026', 'Sept 3rd, 2026', '2025-02-30', '2024-02-29', '0099-01-01', 'yesterday', '45000',
  'yes', 'No', 'Y', 'x', 'TRUE', 'false', 'maybe',
  'vp@gmail.com', 'Ann.Lee@Acme.com', 'a@eu.rivalcorp.com', 'bad@@x.com', '.a@b.co', 'a..b@c.de', 'jörg@müller.de', 'x@y', 'test@test.com', 'test@acme.com', 'asdf', 'aaaa', 'N/A',
  'https://www.acme.com/pricing', 'www.rivalcorp.com', 'acme.com?x=1', 'http://eu.RivalCorp.com:8080',
  '+1 (555) 010-9999', '555-0100', '+44 20 7946 0958', '030 1234567 ext. 12', '1111111', '123456789', '0049 30 123456 x9',
  'VP Sales', 'head of Growth', 'Chief Revenue Officer', 'Sales Ops Manager', 'intern', 'Müller GmbH', 'Ünïcödé', '日本語の役職', 'ſales', 'İstanbul', '"quoted", with comma', "O'Brien", 'line\nbreak', ' padded ',
  'Referral', ' referral ', 'Outbound', 'Webinar',
];
const STAGES = ['SQL', ' sales qualified lead ', 'Closed_Won', 'prospect', 'Negotiation/Review', 'MQL', 'lead', 'Custom Stage', '', ' '];

const cellArb = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...NASTY) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const word = fc.constantFrom('vp', 'sales', 'head', 'acme', 'gmail.com', 'rivalcorp.com', 'müller', 'referral', 'ops', '1', 'x', 'é');

/** One condition on a random field, covering every operator. */
const conditionArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ f: fc.constantFrom('title', 'source', 'email', 'website'), op: fc.constantFrom('equals', 'not_equals'), v: word }),
  fc.record({ f: fc.constantFrom('employees', 'revenue'), op: fc.constantFrom('equals', 'not_equals', 'gt', 'gte', 'lt', 'lte'), v: fc.constantFrom(0, 1, 12, 50, 1200, 5000, 1.5, 1500000, 40000) }),
  fc.record({ f: fc.constantFrom('title', 'source'), op: fc.constantFrom('in', 'not_in', 'contains', 'starts_with', 'ends_with'), v: fc.array(word, { minLength: 1, maxLength: 3 }) }),
  fc.record({ f: fc.constantFrom('employees'), op: fc.constantFrom('in', 'not_in'), v: fc.array(fc.constantFrom(0, 12, 50, 1200), { minLength: 1, maxLength: 3 }) }),
  fc.record({ f: fc.constantFrom('employees', 'revenue'), op: fc.constant('between'), v: fc.constantFrom([50, 5000], [0, 1], [1000, 2000000]) }),
  fc.record({ f: fc.constantFrom('title', 'email'), op: fc.constant('matches'), v: fc.constantFrom('\\b(vp|head|chief)\\b', '^[A-Z]', 'sales|ops', '\\d{3}', 'ü', '^.{3,5}$', '(?i)gmbh', '[a-z]+@', 'x{2,}'), ic: fc.boolean() }),
  fc.record({ f: fc.constantFrom('phone', 'email', 'title'), op: fc.constantFrom('present', 'missing', 'valid_email', 'valid_phone', 'placeholder'), v: fc.boolean() }),
  fc.record({ f: fc.constant('last_activity'), op: fc.constantFrom('within_days', 'older_than_days'), v: fc.constantFrom(0, 1, 30, 365) }),
  fc.record({ f: fc.constant('opted_in'), op: fc.constant('is'), v: fc.boolean() }),
  fc.record({ f: fc.constantFrom('email', 'website'), op: fc.constant('domain_in'), v: fc.constantFrom(['gmail.com'], ['rivalcorp.com', 'acme.com'], ['@müller.de']) }),
).map((c) => {
  const { f, op, v } = c as { f: string; op: string; v: unknown; ic?: boolean };
  return { [f]: { [op]: v, ...((c as { ic?: boolean }).ic ? { ignore_case: true } : {}) } };
});

const whenArb = fc.oneof(
  { weight: 3, arbitrary: conditionArb },
  { weight: 1, arbitrary: fc.record({ all: fc.array(conditionArb, { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ any: fc.array(conditionArb, { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ not: conditionArb }) },
);

const ruleArb = (prefix: string) =>
  fc.array(fc.record({ when: whenArb, points: fc.integer({ min: -15, max: 25 }) }), { minLength: 1, maxLength: 4 }).map((rs) =>
    rs.map((r, i) => ({ id: `${prefix}-${i}`, why: `Why ${prefix} ${i}`, when: r.when, points: r.points })),
  );

const rulesArb = fc
  .record({
    fit: ruleArb('fit'),
    eng: ruleArb('eng'),
    // A per-unit cap has the sign of its points (rules check refuses others).
    per: fc.option(
      fc.record({ points: fc.constantFrom(-3, -1, 1, 2, 4), cap: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }) }).map(({ points, cap }) => ({ points, max: cap === undefined ? undefined : Math.sign(points) * cap })),
      { nil: undefined },
    ),
    dq: fc.array(fc.record({ when: whenArb, bad: fc.boolean() }), { maxLength: 2 }),
    fitMax: fc.option(fc.integer({ min: 5, max: 40 }), { nil: undefined }),
    engMax: fc.option(fc.integer({ min: 5, max: 40 }), { nil: undefined }),
    floor: fc.option(fc.integer({ min: -10, max: 0 }), { nil: undefined }),
    decay: fc.option(fc.constantFrom(10, 45, 7.5), { nil: undefined }),
    dup: fc.option(fc.constantFrom('email', 'phone'), { nil: undefined }),
    grade: fc.boolean(),
    decimal: fc.constantFrom('.', ','),
    dateFormat: fc.constantFrom('auto', 'mdy', 'dmy', 'ymd'),
    sales: fc.boolean(),
    keyFit: fc.boolean(),
  })
  .map((g) => {
    const doc: Record<string, unknown> = {
      version: 1,
      name: 'generated',
      settings: {
        decimal: g.decimal,
        date_format: g.dateFormat,
        placeholders: ['test', 'n/a', 'asdf', 0],
        ...(g.sales ? { sales_sources: ['Referral', 'Outbound'], source_field: 'source' } : {}),
        ...(g.keyFit ? { key_fit_fields: ['title', 'employees'] } : {}),
      },
      fields: FIELDS,
      fit: { ...(g.fitMax !== undefined ? { max: g.fitMax } : {}), rules: g.fit },
      engagement: {
        ...(g.engMax !== undefined ? { max: g.engMax } : {}),
        ...(g.floor !== undefined ? { floor: g.floor } : {}),
        ...(g.decay !== undefined ? { decay: { field: 'last_activity', half_life_days: g.decay } } : {}),
        rules: [...g.eng, ...(g.per ? [{ id: 'per-unit', why: 'Per unit', per: 'employees', points: g.per.points, ...(g.per.max !== undefined ? { max: g.per.max } : {}) }] : [])],
      },
      disqualify: g.dq.map((q, i) => ({ id: `dq-${i}`, why: `Disqualified ${i}`, when: q.when, ...(q.bad ? { stage: 'bad lead' } : {}) })),
      ...(g.dup ? { duplicates: { field: g.dup } } : {}),
      score: { min: 0, max: 60 },
      thresholds: [
        { min: 40, max: 60, tier: 'hot', stage: 'MQL', action: 'Call' },
        { min: 15, max: 39, tier: 'warm', stage: 'lead', action: 'Nurture' },
        { min: 0, max: 14, tier: 'low', stage: 'lead', action: 'Wait' },
      ],
      ...(g.grade ? { grade: { fit: { A: 20, B: 5, C: -100 }, engagement: { '1': 15, '2': 0, '3': -100 } } } : {}),
    };
    return stringify(doc);
  });

const rowsArb = (width: number, own: boolean) =>
  fc.array(
    fc.tuple(fc.array(cellArb, { minLength: width, maxLength: width }), fc.constantFrom(...STAGES), fc.constantFrom('', '', '2026-10-01')).map(([cells, stage, qa]) =>
      own ? [...cells, '1', '2', '3', 'warm', stage, '', '', 'old', qa] : cells,
    ),
    { minLength: 1, maxLength: 14 },
  );

const AS_OF = parseDate('2026-11-01', 'ymd')!;
const server = usePostgres();

describe('CLI engine, DuckDB and PostgreSQL agree (property)', () => {
  it('on generated rules and nasty rows', async () => {
    const p = server();
    const caseArb = fc.boolean().chain((own) => fc.tuple(fc.constant(own), rulesArb, rowsArb(HEADER.length, own)));
    await fc.assert(
      fc.asyncProperty(caseArb, async ([own, yaml, rows]) => {
        const rules = mustCompile(yaml);
        const header = own ? [...HEADER, ...OWN] : HEADER;
        const cli = scoreWithCli(rules, header, rows, AS_OF);
        expect(await scoreWithDuckDb(rules, header, rows, AS_OF)).toEqual(cli);
        expect(scoreWithPostgres(p, rules, header, rows, AS_OF)).toEqual(cli);
      }),
      { numRuns: 12 },
    );
  }, 300_000);
});
