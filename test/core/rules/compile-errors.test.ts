// Every class of mistake in a rules file, each with its error code and exact line:col (never
// the wording, apart from the "did you mean" suggestion, which is data). A case edits numbered
// lines of BASE, a small valid file, or appends lines after its last line (23 onwards).
import { describe, expect, it } from 'vitest';
import { compileText } from '../../helpers/rules.js';
import type { QualifyError } from '../../../src/core/errors.js';

const BASE = [
  'name: t', // 1
  'fields:', // 2
  '  email: { aliases: [E-mail] }', // 3
  '  title: {}', // 4
  '  visits: { optional: true }', // 5
  'score: { min: 0, max: 100 }', // 6
  'thresholds:', // 7
  '  - { min: 50, max: 100, tier: hot, stage: MQL, action: call }', // 8
  '  - { min: 0, max: 49, tier: low, stage: lead, action: wait }', // 9
  'fit:', // 10
  '  rules:', // 11
  '    - id: exec', // 12
  '      why: execs buy', // 13
  '      when: { title: vp }', // 14
  '      points: 20', // 15
  'engagement:', // 16
  '  rules:', // 17
  '    - id: visits', // 18
  '      why: visits show interest', // 19
  '      per: visits', // 20
  '      points: 2', // 21
  '      max: 20', // 22
];

/** BASE with some lines replaced (1-based; a replacement may hold several lines) and lines appended. */
function edit(lines: Record<number, string>, append: string[] = []): string {
  return [...BASE.map((l, i) => lines[i + 1] ?? l), ...append, ''].join('\n');
}

type Expected = [code: string, line: number, col: number];
const found = (errors: QualifyError[]): Expected[] =>
  errors.map((e) => [e.code, e.at?.kind === 'yaml' ? e.at.line : -1, e.at?.kind === 'yaml' ? e.at.col : -1]);

interface Case {
  name: string;
  yaml: string;
  errors: Expected[];
  /** The rule's `when` failed: ignore the follow-on "needs when or per" at the rule (reported as a bug). */
  whenFailed?: true;
}

/** The follow-on error a rule gets at its own position (12:7) when its condition does not compile. */
const FOLLOW_ON: Expected = ['RULES_SCHEMA', 12, 7];
const withoutFollowOn = (list: Expected[]) => list.filter((e) => !(e[0] === FOLLOW_ON[0] && e[1] === FOLLOW_ON[1] && e[2] === FOLLOW_ON[2]));

it('BASE compiles', () => {
  expect(found(compileText(edit({})).errors)).toEqual([]);
});

const cases: Case[] = [
  // YAML itself
  { name: 'unclosed flow map', yaml: edit({ 14: '      when: { title: vp' }), errors: [['RULES_SYNTAX', 15, 7]] },
  { name: 'tab as indentation', yaml: edit({ 15: '\tpoints: 20' }), errors: [['RULES_SYNTAX', 15, 1]] },
  // "\ud800" alone: half of a surrogate pair, which no UTF-8 output can hold (it would become U+FFFD).
  { name: 'a lone surrogate escape in a text', yaml: edit({ 13: '      why: "execs \\ud800 buy"' }), errors: [['RULES_SYNTAX', 13, 12]] },
  { name: 'under-indented key', yaml: edit({ 15: '     points: 20' }), errors: [['RULES_SYNTAX', 15, 1]] },
  {
    name: 'unquoted colons in a value',
    yaml: edit({ 13: '      why: execs: buy: now' }),
    errors: [
      ['RULES_SYNTAX', 13, 12],
      ['RULES_SYNTAX', 13, 19],
    ],
  },
  { name: 'duplicate key in a flow map', yaml: edit({ 6: 'score: { min: 0, max: 100, min: 5 }' }), errors: [['RULES_SYNTAX', 6, 28]] },
  { name: 'duplicate top-level key', yaml: edit({}, ['name: again']), errors: [['RULES_SYNTAX', 23, 1]] },
  { name: 'empty file', yaml: '', errors: [['RULES_SYNTAX', 1, 1]] },
  { name: 'comments only', yaml: '# nothing here yet\n', errors: [['RULES_SYNTAX', 1, 1]] },
  { name: 'byte order mark, then nothing', yaml: '\uFEFF', errors: [['RULES_SYNTAX', 1, 1]] },

  // Shape (schema)
  {
    name: 'misspelt rule key: the key, and the missing points at the rule',
    yaml: edit({ 15: '      pionts: 20' }),
    errors: [
      ['RULES_SCHEMA', 12, 7],
      ['RULES_UNKNOWN_KEY', 15, 7],
    ],
  },
  { name: 'unknown top-level key', yaml: edit({}, ['descripton: x']), errors: [['RULES_UNKNOWN_KEY', 23, 1]] },
  { name: 'unknown key in a field', yaml: edit({ 3: '  email: { aliasses: [E-mail] }' }), errors: [['RULES_UNKNOWN_KEY', 3, 12]] },
  { name: 'unknown key in score', yaml: edit({ 6: 'score: { min: 0, max: 100, mx: 3 }' }), errors: [['RULES_UNKNOWN_KEY', 6, 28]] },
  { name: 'unknown key in a threshold', yaml: edit({ 8: '  - { min: 50, max: 100, tier: hot, stage: MQL, action: call, colour: red }' }), errors: [['RULES_UNKNOWN_KEY', 8, 63]] },
  { name: 'points as quoted text', yaml: edit({ 15: '      points: "20"' }), errors: [['RULES_SCHEMA', 15, 15]] },
  { name: 'points with a fraction', yaml: edit({ 15: '      points: 1.5' }), errors: [['RULES_SCHEMA', 15, 15]] },
  { name: 'points as a word', yaml: edit({ 21: '      points: two' }), errors: [['RULES_SCHEMA', 21, 15]] },
  { name: 'optional as text', yaml: edit({ 5: '  visits: { optional: "yes" }' }), errors: [['RULES_SCHEMA', 5, 23]] },
  { name: 'threshold stage not a scored stage', yaml: edit({ 8: '  - { min: 50, max: 100, tier: hot, stage: SQL, action: call }' }), errors: [['RULES_SCHEMA', 8, 44]] },
  { name: 'unsupported version', yaml: ['version: 2', ...edit({}).split('\n')].join('\n'), errors: [['RULES_SCHEMA', 1, 10]] },
  { name: 'id with a space', yaml: edit({ 12: '    - id: exec team' }), errors: [['RULES_SCHEMA', 12, 11]] },
  { name: 'section not a map', yaml: edit({ 16: 'engagement: [visits]', 17: '#', 18: '#', 19: '#', 20: '#', 21: '#', 22: '#' }), errors: [['RULES_SCHEMA', 16, 13]] },
  { name: 'rules not a list', yaml: edit({ 11: '  rules: { id: exec }', 12: '#', 13: '#', 14: '#', 15: '#' }), errors: [['RULES_SCHEMA', 11, 10]] },
  { name: 'half-life of zero days', yaml: edit({}, ['  decay: { field: visits, half_life_days: 0 }']), errors: [['RULES_SCHEMA', 23, 43]] },

  // Conditions
  { name: 'unknown operator (at the key)', yaml: edit({ 14: '      when: { title: { contain: vp } }' }), errors: [['RULES_UNKNOWN_OPERATOR', 14, 24]], whenFailed: true },
  { name: 'bad operand (at the value)', yaml: edit({ 14: '      when: { title: { gte: ten } }' }), errors: [['RULES_BAD_OPERAND', 14, 29]], whenFailed: true },
  { name: 'regex with lookahead', yaml: edit({ 14: "      when: { title: { matches: '(?=vp)' } }" }), errors: [['RULES_BAD_REGEX', 14, 33]], whenFailed: true },
  { name: 'regex with a backreference', yaml: edit({ 14: "      when: { title: { matches: '(vp)\\1' } }" }), errors: [['RULES_BAD_REGEX', 14, 33]], whenFailed: true },
  { name: 'regex with a control character from a double-quoted \\b', yaml: edit({ 14: '      when: { title: { matches: "\\bvp\\b" } }' }), errors: [['RULES_BAD_REGEX', 14, 33]], whenFailed: true },
  { name: 'condition not a map', yaml: edit({ 14: '      when: vp' }), errors: [['RULES_SCHEMA', 14, 13]], whenFailed: true },

  // Fields the mapping does not define
  { name: 'unknown field in a condition (at the field name)', yaml: edit({ 14: '      when: { titel: vp }' }), errors: [['RULES_UNKNOWN_FIELD', 14, 15]], whenFailed: true },
  { name: 'unknown field in a block condition', yaml: edit({ 14: ['      when:', '        any:', '          - titel: { contains: vp }'].join('\n') }), errors: [['RULES_UNKNOWN_FIELD', 16, 13]], whenFailed: true },
  { name: 'unknown field in per', yaml: edit({ 20: '      per: visit' }), errors: [['RULES_UNKNOWN_FIELD', 20, 12]] },
  { name: 'unknown field in decay', yaml: edit({}, ['  decay: { field: last_activity, half_life_days: 45 }']), errors: [['RULES_UNKNOWN_FIELD', 23, 19]] },
  { name: 'unknown field in duplicates', yaml: edit({}, ['duplicates: { field: mail }']), errors: [['RULES_UNKNOWN_FIELD', 23, 22]] },
  { name: 'unknown field in key_fit_fields', yaml: edit({}, ['settings:', '  key_fit_fields: [title, employees]']), errors: [['RULES_UNKNOWN_FIELD', 24, 27]] },
  { name: 'unknown source_field', yaml: edit({}, ['settings:', '  source_field: lead_source']), errors: [['RULES_UNKNOWN_FIELD', 24, 17]] },
  { name: 'sales_sources without a source field', yaml: edit({}, ['settings:', '  sales_sources: [Referral]']), errors: [['RULES_SCHEMA', 24, 18]] },
  { name: 'one header alias claimed by two fields', yaml: edit({ 4: '  title: { aliases: [Email] }' }), errors: [['RULES_SCHEMA', 4, 21]] },

  // Ids
  { name: 'duplicate rule id across categories', yaml: edit({ 18: '    - id: exec' }), errors: [['RULES_DUPLICATE_ID', 18, 11]] },
  {
    name: 'duplicate id between a rule and a disqualifier',
    yaml: edit({}, ['disqualify:', '  - id: visits', '    why: x', '    when: { email: { valid_email: false } }']),
    errors: [['RULES_DUPLICATE_ID', 24, 9]],
  },

  // Thresholds (every whole score from score.min to score.max in exactly one band)
  { name: 'gap between bands (at the upper band min)', yaml: edit({ 9: '  - { min: 0, max: 48, tier: low, stage: lead, action: wait }' }), errors: [['RULES_THRESHOLD_GAP', 8, 12]] },
  { name: 'gap at the top', yaml: edit({ 8: '  - { min: 50, max: 99, tier: hot, stage: MQL, action: call }' }), errors: [['RULES_THRESHOLD_GAP', 8, 21]] },
  { name: 'gap at the bottom', yaml: edit({ 9: '  - { min: 1, max: 49, tier: low, stage: lead, action: wait }' }), errors: [['RULES_THRESHOLD_GAP', 9, 12]] },
  { name: 'overlapping bands', yaml: edit({ 9: '  - { min: 0, max: 50, tier: low, stage: lead, action: wait }' }), errors: [['RULES_THRESHOLD_OVERLAP', 8, 12]] },
  { name: 'band past score.max', yaml: edit({ 8: '  - { min: 50, max: 120, tier: hot, stage: MQL, action: call }' }), errors: [['RULES_THRESHOLD_OVERLAP', 8, 21]] },
  { name: 'band below score.min', yaml: edit({ 9: '  - { min: -5, max: 49, tier: low, stage: lead, action: wait }' }), errors: [['RULES_THRESHOLD_OVERLAP', 9, 12]] },
  { name: 'no thresholds at all', yaml: edit({ 7: 'thresholds: []', 8: '# -', 9: '# -' }), errors: [['RULES_SCHEMA', 7, 13]] },

  // Nonsense that every lead would pay for (issue 10, item 16)
  { name: 'negative engagement cap', yaml: edit({ 16: 'engagement:\n  max: -50' }), errors: [['RULES_SCHEMA', 17, 8]] },
  { name: 'negative fit cap', yaml: edit({ 10: 'fit:\n  max: -1' }), errors: [['RULES_SCHEMA', 11, 8]] },
  { name: 'engagement floor above its cap (every lead hot)', yaml: edit({ 16: 'engagement:\n  max: 50\n  floor: 100' }), errors: [['RULES_SCHEMA', 18, 10]] },
  {
    name: 'thresholds send the lowest scores to MQL',
    yaml: edit({ 8: '  - { min: 50, max: 100, tier: hot, stage: lead, action: call }', 9: '  - { min: 0, max: 49, tier: low, stage: MQL, action: wait }' }),
    errors: [['RULES_SCHEMA', 9, 42]],
  },
  {
    name: 'a lead band above an MQL band',
    yaml: edit({ 6: 'score: { min: 0, max: 120 }', 7: 'thresholds:\n  - { min: 101, max: 120, tier: top, stage: lead, action: x }' }),
    errors: [['RULES_SCHEMA', 9, 44]],
  },
  { name: 'a tier named disqualified (reserved)', yaml: edit({ 9: '  - { min: 0, max: 49, tier: disqualified, stage: lead, action: wait }' }), errors: [['RULES_SCHEMA', 9, 30]] },
  { name: 'a tier named Bad (reserved, in any case)', yaml: edit({ 9: '  - { min: 0, max: 49, tier: Bad, stage: lead, action: wait }' }), errors: [['RULES_SCHEMA', 9, 30]] },
  { name: 'two bands with the same tier name', yaml: edit({ 9: '  - { min: 0, max: 49, tier: hot, stage: lead, action: wait }' }), errors: [['RULES_SCHEMA', 9, 30]] },

  // Numbers YAML reads in other ways (item 17)
  { name: 'points: .nan', yaml: edit({ 15: '      points: .nan' }), errors: [['RULES_SCHEMA', 15, 15]] },
  { name: 'points: 0.0000001', yaml: edit({ 15: '      points: 0.0000001' }), errors: [['RULES_SCHEMA', 15, 15]] },
  { name: 'a threshold max of 49.5', yaml: edit({ 9: '  - { min: 0, max: 49.5, tier: low, stage: lead, action: wait }' }), errors: [['RULES_SCHEMA', 9, 20]] },
  { name: 'half-life of .nan days', yaml: edit({}, ['  decay: { field: visits, half_life_days: .nan }']), errors: [['RULES_SCHEMA', 23, 43]] },
  { name: 'an ESC escape in a tier (it would reach the terminal and the CSV)', yaml: edit({ 8: '  - { min: 50, max: 100, tier: "hot\\e[2J", stage: MQL, action: call }' }), errors: [['RULES_SCHEMA', 8, 32]] },
  { name: 'control characters in a why', yaml: edit({ 13: '      why: "execs \\e]0;x\\a buy"' }), errors: [['RULES_SCHEMA', 13, 12]] },
  { name: 'id starting with "-"', yaml: edit({ 12: '    - id: -A1' }), errors: [['RULES_SCHEMA', 12, 11]] },

  // Points per unit
  { name: 'max without per', yaml: edit({ 15: '      points: 20\n      max: 5' }), errors: [['RULES_SCHEMA', 16, 7]] },
  { name: 'max of the other sign than points', yaml: edit({ 22: '      max: -20' }), errors: [['RULES_SCHEMA', 22, 12]] },
  { name: 'rule with neither when nor per', yaml: edit({ 14: '      # the condition was deleted' }), errors: [['RULES_SCHEMA', 12, 7]] },

  // Examples
  {
    name: 'example without an expectation',
    yaml: edit({}, ['examples:', '  - name: e', '    lead: { email: a@b.io }', '    expect: {}']),
    errors: [['RULES_SCHEMA', 26, 13]],
  },
];

describe('rules-file errors: code and line:col', () => {
  it.each(cases)('$name', ({ yaml, errors, whenFailed }) => {
    const r = compileText(yaml);
    expect(r.rules).toBeUndefined();
    expect(whenFailed ? withoutFollowOn(found(r.errors)) : found(r.errors)).toEqual(errors);
    for (const e of r.errors) {
      expect(e.at).toMatchObject({ kind: 'yaml', file: 'rules.yaml' });
      // The snippet is the offending line as written.
      if (e.at?.kind === 'yaml' && e.at.snippet !== undefined) expect(e.at.snippet).toBe(yaml.replace(/^\uFEFF/, '').split('\n')[e.at.line - 1]);
    }
  });
});

describe('"did you mean" names the closest allowed word', () => {
  const suggestions: [string, string, string][] = [
    ['rule key', edit({ 15: '      pionts: 20' }), '"points"'],
    ['top-level key', edit({}, ['descripton: x']), '"description"'],
    ['field key', edit({ 3: '  email: { aliasses: [E-mail] }' }), '"aliases"'],
    ['operator', edit({ 14: '      when: { title: { contain: vp } }' }), '"contains"'],
    ['field in a condition', edit({ 14: '      when: { titel: vp }' }), '"title"'],
    ['field in per', edit({ 20: '      per: visit' }), '"visits"'],
  ];
  it.each(suggestions)('%s', (_what, yaml, hint) => {
    const messages = compileText(yaml).errors.map((e) => e.message);
    expect(messages.some((m) => m.includes(`did you mean ${hint}`))).toBe(true);
  });
});

describe('several mistakes in one file are all reported, in file order', () => {
  it('shape mistakes in different sections', () => {
    const yaml = edit({ 6: 'score: { min: 0, max: 100, mx: 3 }', 15: '      pionts: 20', 21: '      points: two' });
    expect(found(compileText(yaml).errors)).toEqual([
      ['RULES_UNKNOWN_KEY', 6, 28],
      ['RULES_SCHEMA', 12, 7],
      ['RULES_UNKNOWN_KEY', 15, 7],
      ['RULES_SCHEMA', 21, 15],
    ]);
  });

  it('references, ids and thresholds', () => {
    const yaml = edit(
      { 9: '  - { min: 0, max: 48, tier: low, stage: lead, action: wait }', 18: '    - id: exec', 20: '      per: visit' },
      ['duplicates: { field: mail }'],
    );
    expect(found(compileText(yaml).errors)).toEqual([
      ['RULES_THRESHOLD_GAP', 8, 12],
      ['RULES_DUPLICATE_ID', 18, 11],
      ['RULES_UNKNOWN_FIELD', 20, 12],
      ['RULES_UNKNOWN_FIELD', 23, 22],
    ]);
  });

  it('a shape mistake does not hide a mistake in a condition', () => {
    const yaml = edit({ 14: '      when: { titel: { matches: "(?=x)" } }', 15: '      pionts: 20' });
    const got = found(compileText(yaml).errors);
    expect(got).toContainEqual(['RULES_UNKNOWN_FIELD', 14, 15]);
    expect(got).toContainEqual(['RULES_UNKNOWN_KEY', 15, 7]);
  });

  it('two bad operands in one condition', () => {
    const yaml = edit({ 14: '      when: { all: [{ title: { gte: x } }, { email: { domain_in: a.com } }] }' });
    expect(found(compileText(yaml).errors).filter(([, line]) => line === 14)).toEqual([
      ['RULES_BAD_OPERAND', 14, 37],
      ['RULES_BAD_OPERAND', 14, 66],
    ]);
  });
});

it('locations carry the path into the document', () => {
  const [e] = compileText(edit({ 20: '      per: visit' })).errors;
  expect(e?.at).toMatchObject({ kind: 'yaml', line: 20, col: 12, path: ['engagement', 'rules', 0, 'per'] });
});

describe('messages say what is wrong with a value as it was written (item 17)', () => {
  const messages: [string, string, RegExp][] = [
    ['.nan', edit({ 15: '      points: .nan' }), /must be a whole number, got \.nan/],
    ['.inf', edit({ 15: '      points: .inf' }), /must be a whole number, got \.inf/],
    ['a tiny fraction', edit({ 15: '      points: 0.0000001' }), /must be a whole number, got 1e-7/],
    ['49.5', edit({ 9: '  - { min: 0, max: 49.5, tier: low, stage: lead, action: wait }' }), /must be a whole number, got 49\.5/],
    ['quoted number', edit({ 15: '      points: "20"' }), /must be a whole number, got "20"/],
    ['half-life .nan', edit({}, ['  decay: { field: visits, half_life_days: .nan }']), /must be a number, got \.nan/],
    ['id "-A1": the message names the rule the check applies', edit({ 12: '    - id: -A1' }), /starts with a letter or a digit/],
  ];
  it.each(messages)('%s', (_what, yaml, expected) => {
    const got = compileText(yaml).errors.map((e) => e.message);
    expect(got.some((m) => expected.test(m)), got.join('\n')).toBe(true);
    expect(got.some((m) => /got null/.test(m))).toBe(false);
  });
});
