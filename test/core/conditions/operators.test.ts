// Every operator of the registry through a real rules file: which cells it accepts, rejects and
// cannot judge (three-valued logic), and which operands stop the rules file at compile time.
import { describe, expect, it } from 'vitest';
import { operators } from '../../../src/core/conditions/registry.js';
import { createScorer } from '../../../src/core/scoring/engine.js';
import { AS_OF, compileText, mustCompile } from '../../helpers/rules.js';
import { codeAt, conditionFor, rulesAround, testOperator, verdictOf, verdictOfCondition, type Verdict } from './operator-tester.js';

const TESTED = [
  'equals', 'not_equals', 'in', 'not_in', 'contains', 'starts_with', 'ends_with', 'matches',
  'gt', 'gte', 'lt', 'lte', 'between', 'present', 'missing', 'within_days', 'older_than_days',
  'is', 'domain_in', 'valid_email', 'valid_phone', 'placeholder',
];

it('the tables below cover every operator in the registry', () => {
  expect([...operators.keys()].sort()).toEqual([...TESTED].sort());
});

// Text equality ----------------------------------------------------------------------------

testOperator('equals', {
  accept: [
    { operand: 'Germany', cell: 'Germany' },
    { operand: 'Germany', cell: '  GERMANY ', description: 'case and surrounding spaces ignored' },
    { operand: 'Zürich', cell: 'ZU\u0308RICH', description: 'NFC: decomposed umlaut' },
    { operand: '50', cell: '50.0', description: 'a number operand compares numbers' },
    { operand: '1200', cell: '1,200' },
    { operand: 'true', cell: 'TRUE', description: 'a boolean operand compares its text' },
  ],
  reject: [
    { operand: 'Germany', cell: 'Germany GmbH' },
    { operand: 'Germany', cell: 'Deutschland' },
    { operand: '50', cell: '49' },
  ],
  unknown: [
    { operand: 'Germany', cell: '' },
    { operand: 'Germany', cell: '   ', description: 'spaces only are blank' },
    { operand: '50', cell: 'fifty', description: 'unreadable number' },
  ],
  invalid: [
    { when: '{ f: { equals: [a, b] } }', code: 'RULES_BAD_OPERAND', line: 1, col: 16 },
    { when: '{ f: { equals: { a: 1 } } }', code: 'RULES_BAD_OPERAND', line: 1, col: 16 },
    { when: '{ f: { equls: a } }', code: 'RULES_UNKNOWN_OPERATOR', line: 1, col: 8, description: 'misspelt operator points at the key' },
  ],
});

testOperator('not_equals', {
  accept: [
    { operand: 'Germany', cell: 'France' },
    { operand: '50', cell: '51' },
  ],
  reject: [
    { operand: 'Germany', cell: ' germany ' },
    { operand: '50', cell: '50.00' },
  ],
  unknown: [
    { operand: 'Germany', cell: '', description: 'a missing value is not "not equal"' },
    { operand: '50', cell: 'n/a' },
  ],
  invalid: [{ when: '{ f: { not_equals: [a] } }', code: 'RULES_BAD_OPERAND', line: 1, col: 20 }],
});

testOperator('in', {
  accept: [
    { operand: '[Software, SaaS]', cell: ' saas ' },
    { operand: '[Software, SaaS]', cell: 'SOFTWARE' },
    { operand: '[50, 100]', cell: '100' },
  ],
  reject: [
    { operand: '[Software, SaaS]', cell: 'Hardware' },
    { operand: '[Software, SaaS]', cell: 'Software Development', description: 'whole value, not a substring' },
  ],
  unknown: [{ operand: '[Software, SaaS]', cell: '' }],
  invalid: [
    { when: '{ f: { in: Software } }', code: 'RULES_BAD_OPERAND', line: 1, col: 12, description: 'not a list' },
    { when: '{ f: { in: [] } }', code: 'RULES_BAD_OPERAND', line: 1, col: 12, description: 'empty list' },
    { when: '{ f: { in: [[a]] } }', code: 'RULES_BAD_OPERAND', line: 1, col: 12, description: 'nested list' },
  ],
});

testOperator('not_in', {
  accept: [{ operand: '[North Korea, Iran]', cell: 'Canada' }],
  reject: [{ operand: '[North Korea, Iran]', cell: 'IRAN' }],
  unknown: [{ operand: '[North Korea, Iran]', cell: '' }],
  invalid: [{ when: '{ f: { not_in: Iran } }', code: 'RULES_BAD_OPERAND', line: 1, col: 16 }],
});

// Substrings -------------------------------------------------------------------------------

testOperator('contains', {
  accept: [
    { operand: 'vp', cell: 'SVP Sales' },
    { operand: '[revenue, sales ops]', cell: 'Head of Sales Ops' },
    { operand: 'straße', cell: 'STRASSE Straße 1', description: 'non-ASCII text' },
  ],
  reject: [{ operand: '[revenue, sales ops]', cell: 'Engineer' }],
  unknown: [{ operand: 'vp', cell: '' }],
  invalid: [
    { when: '{ f: { contains: 5 } }', code: 'RULES_BAD_OPERAND', line: 1, col: 18 },
    { when: '{ f: { contains: "" } }', code: 'RULES_BAD_OPERAND', line: 1, col: 18 },
    { when: '{ f: { contains: [a, ""] } }', code: 'RULES_BAD_OPERAND', line: 1, col: 18 },
  ],
});

testOperator('starts_with', {
  accept: [
    { operand: '["+49", "0049"]', cell: '+49 30 1234567' },
    { operand: '["+49", "0049"]', cell: ' 0049 30 1234567' },
    { operand: 'mr', cell: 'MR. Smith' },
  ],
  reject: [{ operand: '["+49", "0049"]', cell: '+1 212 4567890' }],
  unknown: [{ operand: '["+49"]', cell: '' }],
  invalid: [{ when: '{ f: { starts_with: [] } }', code: 'RULES_BAD_OPERAND', line: 1, col: 21 }],
});

testOperator('ends_with', {
  accept: [
    { operand: '[.edu, .ac.uk]', cell: 'jo@MIT.EDU ' },
    { operand: '[.edu, .ac.uk]', cell: 'jo@ox.ac.uk' },
  ],
  reject: [{ operand: '[.edu, .ac.uk]', cell: 'jo@edu.com' }],
  unknown: [{ operand: '[.edu]', cell: '' }],
  invalid: [{ when: '{ f: { ends_with: true } }', code: 'RULES_BAD_OPERAND', line: 1, col: 19 }],
});

// Regular expressions ----------------------------------------------------------------------

testOperator('matches', {
  accept: [
    { operand: "'\\b(vp|vice president)\\b'", cell: 'vp of Sales' },
    { operand: "'\\b(vp|vice president)\\b'", cell: 'Senior VICE PRESIDENT', flags: 'ignore_case: true' },
    { operand: "'^vp$'", cell: '  vp  ', description: 'the cell is trimmed' },
    { operand: "'c[ertmfs]o'", cell: 'CRO', flags: 'ignore_case: true' },
  ],
  reject: [
    { operand: "'\\bvp\\b'", cell: 'VP Sales', description: 'case matters without ignore_case' },
    { operand: "'\\bvp\\b'", cell: 'VP Sales', flags: 'ignore_case: false' },
    { operand: "'\\bvp\\b'", cell: 'mvp award', flags: 'ignore_case: true' },
  ],
  unknown: [{ operand: "'vp'", cell: '' }],
  invalid: [
    { when: "{ f: { matches: '(?=vp)' } }", code: 'RULES_BAD_REGEX', line: 1, col: 17, description: 'lookahead' },
    { when: "{ f: { matches: '(?<!a)b' } }", code: 'RULES_BAD_REGEX', line: 1, col: 17, description: 'lookbehind' },
    { when: "{ f: { matches: '(a)\\1' } }", code: 'RULES_BAD_REGEX', line: 1, col: 17, description: 'backreference' },
    { when: "{ f: { matches: '[a-' } }", code: 'RULES_BAD_REGEX', line: 1, col: 17, description: 'unclosed class' },
    { when: '{ f: { matches: 5 } }', code: 'RULES_BAD_OPERAND', line: 1, col: 17 },
    { when: "{ f: { matches: 'vp', ignore_case: yes } }", code: 'RULES_BAD_OPERAND', line: 1, col: 36, description: 'ignore_case must be a boolean' },
  ],
});

describe('matches: patterns that backtrack catastrophically in a backtracking engine run in linear time', () => {
  const evil = [
    ["'^(a+)+$'", 'a'.repeat(40) + '!'],
    ["'^(a|aa)+$'", 'a'.repeat(40) + '!'],
    ["'^(\\w+\\s?)*$'", 'word '.repeat(20) + '!'],
    ["'(x+x+)+y'", 'x'.repeat(5000)],
    ["'^(([a-z])+.)+[A-Z]([a-z])+$'", 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'],
    // No nested quantifier, but polynomial in a backtracking engine: n^3 steps (V8 ran 964 s on
    // 4,096 characters, issue 10), n^2 and n^4.
    ["'a*a*a*b'", 'a'.repeat(4096)],
    ["'a*a*a*b'", 'a'.repeat(100_000)],
    ["'a*a*a*b'", 'a'.repeat(4096), 'ignore_case: true'],
    ["'\\s*\\s*\\s*x'", `a${' '.repeat(4094)}a`],
    ["'.*.*=.*;'", '='.repeat(4096)],
    ["'x*x*x*x*y'", 'x'.repeat(100_000)],
    ["'^(\\d+)*$'", '1'.repeat(4096) + 'a'],
    // Long cells are searched whole (they were cut at 4,096 characters, where `$` then matched).
    ["'^\\d+$'", '1'.repeat(100_000) + 'a'],
  ] as const;
  it.each(evil)('%s on a %#-th adversarial cell', (pattern, cell, flags?: string) => {
    const rules = mustCompile(rulesAround(conditionFor('matches', { operand: pattern, ...(flags ? { flags } : {}) })));
    const start = performance.now();
    expect(verdictOf(rules, { f: cell })).toBe('false');
    expect(performance.now() - start).toBeLessThan(2000); // a guard: these took minutes before
  });
});

// Numbers ----------------------------------------------------------------------------------

testOperator('gt', {
  accept: [
    { operand: '50', cell: '51' },
    { operand: '50', cell: '50.5' },
    { operand: '1000', cell: '1,200' },
    { operand: '1000000', cell: '$1.2M' },
    { operand: '11999', cell: '12k' },
  ],
  reject: [
    { operand: '50', cell: '50' },
    { operand: '50', cell: '-51' },
  ],
  unknown: [
    { operand: '50', cell: '' },
    { operand: '50', cell: 'many' },
    { operand: '50', cell: '1,20', description: 'ambiguous grouping is not a number' },
  ],
  invalid: [
    { when: '{ f: { gt: fifty } }', code: 'RULES_BAD_OPERAND', line: 1, col: 12 },
    { when: '{ f: { gt: "50" } }', code: 'RULES_BAD_OPERAND', line: 1, col: 12, description: 'quoted number' },
  ],
});

testOperator('gte', {
  accept: [
    { operand: '50', cell: '50' },
    { operand: '10000000', cell: '$10,000,000' },
  ],
  reject: [{ operand: '50', cell: '49.99' }],
  unknown: [{ operand: '50', cell: '' }],
  invalid: [{ when: '{ f: { gte: [50] } }', code: 'RULES_BAD_OPERAND', line: 1, col: 13 }],
});

testOperator('lt', {
  accept: [
    { operand: '50', cell: '49' },
    { operand: '0', cell: '(10)', description: 'accounting negative' },
    { operand: '0', cell: '-5' },
  ],
  reject: [{ operand: '50', cell: '50' }],
  unknown: [{ operand: '50', cell: 'few' }],
  invalid: [{ when: '{ f: { lt: null } }', code: 'RULES_BAD_OPERAND', line: 1, col: 12 }],
});

testOperator('lte', {
  accept: [{ operand: '50', cell: '50' }],
  reject: [{ operand: '50', cell: '50.01' }],
  unknown: [{ operand: '50', cell: ' ' }],
  invalid: [{ when: '{ f: { lte: .inf } }', code: 'RULES_BAD_OPERAND', line: 1, col: 13, description: 'infinity' }],
});

testOperator('between', {
  accept: [
    { operand: '[50, 5000]', cell: '50', description: 'low end included' },
    { operand: '[50, 5000]', cell: '5,000', description: 'high end included' },
    { operand: '[50, 5000]', cell: '1.2k' },
  ],
  reject: [
    { operand: '[50, 5000]', cell: '49' },
    { operand: '[50, 5000]', cell: '5001' },
  ],
  unknown: [
    { operand: '[50, 5000]', cell: '' },
    { operand: '[50, 5000]', cell: 'n/a' },
  ],
  invalid: [
    { when: '{ f: { between: [5000, 50] } }', code: 'RULES_BAD_OPERAND', line: 1, col: 17, description: 'low above high' },
    { when: '{ f: { between: [50] } }', code: 'RULES_BAD_OPERAND', line: 1, col: 17 },
    { when: '{ f: { between: 50 } }', code: 'RULES_BAD_OPERAND', line: 1, col: 17 },
    { when: '{ f: { between: [a, b] } }', code: 'RULES_BAD_OPERAND', line: 1, col: 17 },
  ],
});

// Presence ---------------------------------------------------------------------------------

testOperator('present', {
  accept: [
    { operand: 'true', cell: 'x' },
    { operand: 'false', cell: '' },
    { operand: 'false', cell: '   ' },
  ],
  reject: [
    { operand: 'true', cell: '' },
    { operand: 'false', cell: 'x' },
  ],
  invalid: [{ when: '{ f: { present: yes } }', code: 'RULES_BAD_OPERAND', line: 1, col: 17, description: '"yes" is text in YAML 1.2' }],
});

testOperator('missing', {
  accept: [
    { operand: 'true', cell: '' },
    { operand: 'true', cell: ' \t ' },
    { operand: 'false', cell: '0', description: 'zero is a value' },
  ],
  reject: [{ operand: 'true', cell: 'n/a', description: 'a placeholder is still present' }],
  invalid: [{ when: '{ f: { missing: 1 } }', code: 'RULES_BAD_OPERAND', line: 1, col: 17 }],
});

describe('present / missing on a column the file does not have', () => {
  // `g` is optional; scoring a file without it makes every cell of g blank.
  const cases: [string, Verdict][] = [
    ['{ g: { missing: true } }', 'true'],
    ['{ g: { present: true } }', 'false'],
    ['{ g: { equals: x } }', 'unknown'],
  ];
  it.each(cases)('%s -> %s', (when, verdict) => {
    const rules = mustCompile(rulesAround(when));
    const scorer = createScorer(rules, ['Field'], { asOfDay: AS_OF, file: 't.csv' });
    expect(scorer.binding.absentOptional).toEqual(['g']);
    const fired = scorer.score(['anything'], 1).reasons.map((r) => r.rule);
    expect(fired.includes('yes') ? 'true' : fired.includes('no') ? 'false' : 'unknown').toBe(verdict);
  });
});

// Dates (as-of 2026-11-01) -----------------------------------------------------------------

testOperator('within_days', {
  accept: [
    { operand: '14', cell: '2026-10-28' },
    { operand: '14', cell: '2026-10-18', description: 'exactly 14 days' },
    { operand: '14', cell: '2026-12-01', description: 'future dates count as within' },
    { operand: '14', cell: '10/28/2026', description: 'US date' },
    { operand: '14', cell: '2026-10-30T23:59:00Z', description: 'datetime' },
    { operand: '0', cell: '2026-11-01' },
  ],
  reject: [
    { operand: '14', cell: '2026-10-17', description: '15 days' },
    { operand: '0', cell: '2026-10-31' },
  ],
  unknown: [
    { operand: '14', cell: '' },
    { operand: '14', cell: 'last week' },
    { operand: '14', cell: '2026-02-30', description: 'impossible date' },
  ],
  invalid: [
    { when: '{ f: { within_days: -1 } }', code: 'RULES_BAD_OPERAND', line: 1, col: 21 },
    { when: '{ f: { within_days: 1.5 } }', code: 'RULES_BAD_OPERAND', line: 1, col: 21 },
    { when: '{ f: { within_days: 2 weeks } }', code: 'RULES_BAD_OPERAND', line: 1, col: 21 },
  ],
});

testOperator('older_than_days', {
  accept: [
    { operand: '180', cell: '2026-05-04', description: '181 days' },
    { operand: '180', cell: '04.05.2026', description: 'dotted dates are day first' },
  ],
  reject: [
    { operand: '180', cell: '2026-05-05', description: 'exactly 180 days' },
    { operand: '180', cell: '2027-01-01', description: 'future' },
  ],
  unknown: [
    { operand: '180', cell: '' },
    { operand: '180', cell: 'never' },
  ],
  invalid: [{ when: '{ f: { older_than_days: "180" } }', code: 'RULES_BAD_OPERAND', line: 1, col: 25 }],
});

// Booleans ---------------------------------------------------------------------------------

testOperator('is', {
  accept: [
    ...['yes', 'Y', 'TRUE', '1', ' y '].map((cell) => ({ operand: 'true', cell })),
    ...['no', 'N', 'False', '0'].map((cell) => ({ operand: 'false', cell })),
  ],
  reject: [
    ...['no', 'n', 'false', '0'].map((cell) => ({ operand: 'true', cell })),
    ...['yes', 'y', 'true', '1'].map((cell) => ({ operand: 'false', cell })),
  ],
  unknown: [
    { operand: 'true', cell: '' },
    { operand: 'true', cell: 'maybe' },
    { operand: 'false', cell: '2' },
  ],
  invalid: [
    { when: '{ f: { is: yes } }', code: 'RULES_BAD_OPERAND', line: 1, col: 12 },
    { when: '{ f: { is: 1 } }', code: 'RULES_BAD_OPERAND', line: 1, col: 12 },
  ],
});

// Contact data -----------------------------------------------------------------------------

testOperator('domain_in', {
  accept: [
    { operand: '[rivalcorp.com]', cell: 'spy@rivalcorp.com' },
    { operand: '[rivalcorp.com]', cell: 'Spy@EU.RivalCorp.COM', description: 'subdomain, any case' },
    { operand: '[rivalcorp.com]', cell: 'https://www.rivalcorp.com/about', description: 'website URL' },
    { operand: '[rivalcorp.com]', cell: 'http://rivalcorp.com:8080', description: 'URL with a port' },
    { operand: '[rivalcorp.com]', cell: 'www.rivalcorp.com' },
    { operand: '[rivalcorp.com]', cell: 'rivalcorp.com' },
    { operand: '["@RivalCorp.com"]', cell: 'a@rivalcorp.com', description: 'operand written with @ and capitals' },
  ],
  reject: [
    { operand: '[rivalcorp.com]', cell: 'spy@notrivalcorp.com', description: 'not a subdomain' },
    { operand: '[rivalcorp.com]', cell: 'spy@rivalcorp.com.evil.io' },
    { operand: '[rivalcorp.com]', cell: 'spy@rivalcorp.co' },
  ],
  unknown: [{ operand: '[rivalcorp.com]', cell: '' }],
  invalid: [
    { when: '{ f: { domain_in: rivalcorp.com } }', code: 'RULES_BAD_OPERAND', line: 1, col: 19 },
    { when: '{ f: { domain_in: [] } }', code: 'RULES_BAD_OPERAND', line: 1, col: 19 },
  ],
});

testOperator('valid_email', {
  accept: [
    { operand: 'true', cell: 'dana@northwind.io' },
    { operand: 'true', cell: ' Dana.Lee+crm@sub.northwind.co.uk ' },
    { operand: 'false', cell: 'jane.doe@' },
    { operand: 'false', cell: 'dana@@northwind.io' },
    { operand: 'false', cell: 'dana northwind.io' },
    { operand: 'false', cell: '.dana@northwind.io' },
  ],
  reject: [
    { operand: 'true', cell: 'jane.doe@' },
    { operand: 'true', cell: '', description: 'a blank cell is not a valid email' },
    { operand: 'false', cell: 'dana@northwind.io' },
  ],
  unknown: [{ operand: 'false', cell: '', description: 'nor a malformed one' }],
  invalid: [{ when: '{ f: { valid_email: maybe } }', code: 'RULES_BAD_OPERAND', line: 1, col: 21 }],
});

testOperator('valid_phone', {
  accept: [
    { operand: 'true', cell: '+49 30 1234567' },
    { operand: 'true', cell: '+1 (212) 479-7788 ext. 12' },
    { operand: 'false', cell: '555-0100', description: 'fictional number' },
    { operand: 'false', cell: '+1 (212) 555-0199' },
    { operand: 'false', cell: '1111111', description: 'one digit repeated' },
    { operand: 'false', cell: '123', description: 'too short' },
    { operand: 'false', cell: '1234567890123456', description: 'too long' },
  ],
  reject: [
    { operand: 'true', cell: '555-0100' },
    { operand: 'true', cell: '', description: 'blank is not usable' },
    { operand: 'false', cell: '+44 20 7946 1234' },
  ],
  unknown: [{ operand: 'false', cell: '' }],
  invalid: [{ when: '{ f: { valid_phone: [true] } }', code: 'RULES_BAD_OPERAND', line: 1, col: 21 }],
});

testOperator('placeholder', {
  accept: [
    { operand: 'true', cell: 'test@test.com' },
    { operand: 'true', cell: 'ASDF' },
    { operand: 'true', cell: ' n/a ' },
    { operand: 'true', cell: 'asdf@northwind.io', description: 'placeholder local part' },
    { operand: 'true', cell: 'zzzz', description: 'one character repeated' },
    { operand: 'false', cell: 'Dana' },
  ],
  reject: [
    { operand: 'true', cell: 'Dana' },
    { operand: 'true', cell: 'zz', description: 'two letters are not a repeat pattern' },
    { operand: 'false', cell: 'asdf' },
  ],
  unknown: [{ operand: 'true', cell: '' }],
  invalid: [{ when: '{ f: { placeholder: "true" } }', code: 'RULES_BAD_OPERAND', line: 1, col: 21 }],
});

// Shorthands, several tests in one map, all / any / not ------------------------------------

describe('shorthands and implicit all', () => {
  const cases: [string, Record<string, string>, Verdict][] = [
    ['{ f: Germany }', { f: ' germany' }, 'true'],
    ['{ f: Germany }', { f: 'France' }, 'false'],
    ['{ f: Germany }', { f: '' }, 'unknown'],
    ['{ f: [Software, SaaS] }', { f: 'saas' }, 'true'],
    ['{ f: [Software, SaaS] }', { f: 'Hardware' }, 'false'],
    ['{ f: 50 }', { f: '50.0' }, 'true'],
    ['{ f: { gte: 10, lte: 20 } }', { f: '15' }, 'true'],
    ['{ f: { gte: 10, lte: 20 } }', { f: '25' }, 'false'],
    ['{ f: { gte: 10, lte: 20 } }', { f: '' }, 'unknown'],
    ['{ f: a, g: b }', { f: 'a', g: 'b' }, 'true'],
    ['{ f: a, g: b }', { f: 'a', g: 'c' }, 'false'],
    ['{ f: a, g: b }', { f: 'a', g: '' }, 'unknown'],
    ['{ f: a, g: b }', { f: 'x', g: '' }, 'false'],
  ];
  it.each(cases)('%s on %j -> %s', (when, lead, verdict) => {
    expect(verdictOfCondition(when, lead)).toBe(verdict);
  });
});

describe('all / any / not follow three-valued (Kleene) logic', () => {
  // f = a is TRUE, f = z is FALSE, f blank is UNKNOWN; likewise g against b.
  const cell = { T: 'a', F: 'z', U: '' } as const;
  const gcell = { T: 'b', F: 'y', U: '' } as const;
  type V = keyof typeof cell;
  const all = (x: V, y: V): Verdict => (x === 'F' || y === 'F' ? 'false' : x === 'U' || y === 'U' ? 'unknown' : 'true');
  const any = (x: V, y: V): Verdict => (x === 'T' || y === 'T' ? 'true' : x === 'U' || y === 'U' ? 'unknown' : 'false');
  const pairs: [V, V][] = (['T', 'F', 'U'] as V[]).flatMap((x) => (['T', 'F', 'U'] as V[]).map((y): [V, V] => [x, y]));

  it.each(pairs)('all(%s, %s)', (x, y) => {
    expect(verdictOfCondition('{ all: [{ f: a }, { g: b }] }', { f: cell[x], g: gcell[y] })).toBe(all(x, y));
  });
  it.each(pairs)('any(%s, %s)', (x, y) => {
    expect(verdictOfCondition('{ any: [{ f: a }, { g: b }] }', { f: cell[x], g: gcell[y] })).toBe(any(x, y));
  });
  it.each([
    ['T', 'false'],
    ['F', 'true'],
    ['U', 'unknown'],
  ] as [V, Verdict][])('not(%s) -> %s', (x, verdict) => {
    expect(verdictOfCondition('{ not: { f: a } }', { f: cell[x] })).toBe(verdict);
  });

  const nested: [string, Record<string, string>, Verdict][] = [
    ['{ not: { not: { f: a } } }', { f: '' }, 'unknown'],
    ['{ not: { not: { f: a } } }', { f: 'a' }, 'true'],
    ['{ not: { all: [{ f: a }, { g: b }] } }', { f: 'a', g: '' }, 'unknown'],
    ['{ not: { any: [{ f: a }, { g: b }] } }', { f: 'z', g: 'y' }, 'true'],
    ['{ any: [{ all: [{ f: a }, { g: b }] }, { h: { present: true } }] }', { f: 'a', g: '', h: '' }, 'unknown'],
    ['{ any: [{ all: [{ f: a }, { g: b }] }, { h: { present: true } }] }', { f: 'a', g: '', h: 'x' }, 'true'],
    ['{ all: [{ not: { f: { valid_email: true } } }, { not: { g: { valid_phone: true } } }] }', { f: '', g: '' }, 'true'],
    ['{ all: [{ not: { f: { valid_email: true } } }, { not: { g: { valid_phone: true } } }] }', { f: 'a@b.io', g: '' }, 'false'],
    ['{ not: { f: { missing: true } } }', { f: '' }, 'false'],
    ['{ all: [{ f: { gte: 10 } }] }', { f: 'ten' }, 'unknown'],
  ];
  it.each(nested)('%s on %j -> %s', (when, lead, verdict) => {
    expect(verdictOfCondition(when, lead)).toBe(verdict);
  });
});

describe('malformed combinations', () => {
  // Positions are inside `when` (col 1 = its first character); the file puts it at 20:13.
  const invalid: { when: string; errors: [code: string, col: number][] }[] = [
    { when: '{ all: [] }', errors: [['RULES_SCHEMA', 8]] },
    { when: '{ any: { f: a } }', errors: [['RULES_SCHEMA', 8]] },
    { when: '{ not: 5 }', errors: [['RULES_SCHEMA', 8]] },
    { when: '{ f: {} }', errors: [['RULES_SCHEMA', 6]] },
    { when: '[{ f: a }]', errors: [['RULES_SCHEMA', 1]] },
    {
      when: '{ all: [{ f: { gte: x } }, { g: { equals: [1] } }] }',
      errors: [
        ['RULES_BAD_OPERAND', 21],
        ['RULES_BAD_OPERAND', 43],
      ],
    },
    {
      when: '{ any: [{ f: { gte: x } }, { zz: { equals: 1 } }, { g: { nope: 1 } }] }',
      errors: [
        ['RULES_BAD_OPERAND', 21],
        ['RULES_UNKNOWN_OPERATOR', 58],
      ],
    },
  ];
  it.each(invalid)('$when', (c) => {
    const { errors } = compileText(rulesAround(c.when, '{ f: { present: true } }'));
    expect(errors.map(codeAt).filter((e) => e.line === 20 && e.code !== 'RULES_UNKNOWN_FIELD')).toEqual(
      c.errors.map(([code, col]) => ({ code, line: 20, col: 12 + col })),
    );
  });
});
