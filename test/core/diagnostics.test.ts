// What a person sees for a mistake in a rules file (src/ui/diagnostics.ts): control characters
// from the file (ESC sequences that recolour, move the cursor or retitle the terminal; bidi
// overrides) are shown as visible escapes, never sent to the terminal; the excerpt of the
// offending line is short, with the caret under the right character (issue 10, items 7, 17).
process.env['NO_COLOR'] = '1';
import { describe, expect, it } from 'vitest';
import { compileText } from '../helpers/rules.js';
import { excerpt, formatError, safe } from '../../src/ui/diagnostics.js';
import { QualifyError } from '../../src/core/errors.js';

const BASE = [
  'name: t',
  'fields: { email: {}, title: {} }',
  'score: { min: 0, max: 100 }',
  'thresholds: [{ min: 0, max: 100, tier: all, stage: lead, action: wait }]',
  'fit: {}',
  'engagement: {}',
];
/** Anything a terminal could act on, except the newlines of the frame itself. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('control characters from a rules file are escaped in what is printed', () => {
  const hostile: [string, string][] = [
    ['ESC sequences in an unknown key (message and excerpt)', 'colour\u001b[2J\u001b]0;pwned\u0007: red'],
    ['a C1 CSI in a value', 'description: 5'.replace('5', '[\u009b31m]')],
    ['a bidi override in an unknown key', 'na\u202eme2: x'],
    ['a tab before the mistake', 'score2:\t{ min: 0 }'],
  ];
  it.each(hostile)('%s', (_what, line) => {
    const { errors } = compileText([...BASE, line, ''].join('\n'));
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      const out = formatError(e);
      expect(out).not.toMatch(CONTROL);
    }
  });

  it('an escape is visible: ESC as \\e, other controls as \\uXXXX', () => {
    expect(safe('a\u001b[31mb\u0007c\td')).toBe('a\\e[31mb\\u0007c\\td');
    expect(safe('plain text, é, 中文')).toBe('plain text, é, 中文');
  });

  it('the hint and the file name are escaped too', () => {
    const e = new QualifyError('RULES_SCHEMA', 'm', { kind: 'yaml', file: 'r\u001b[2J.yaml', line: 1, col: 1, path: [] }, { hint: 'h\u001b[2J' });
    expect(formatError(e)).not.toMatch(CONTROL);
  });
});

describe('the excerpt of the offending line', () => {
  const caretColumn = (out: string): number => {
    const [, code, caret] = out.split('\n');
    // "  N | text" then "    | ^": the caret's offset after the bar equals the character's.
    return caret!.indexOf('^') - caret!.indexOf('|') - 2 + code!.indexOf('|') + 2;
  };

  it('a 10,000-character line is cut to a short window around the column', () => {
    const line = 'x'.repeat(6000) + 'HERE' + 'y'.repeat(4000);
    const e = new QualifyError('RULES_SYNTAX', 'm', { kind: 'yaml', file: 'r.yaml', line: 2, col: 6001, path: [], snippet: line });
    const out = formatError(e);
    expect(out.length).toBeLessThan(300);
    const [, code] = out.split('\n');
    expect(code!.slice(caretColumn(out))).toMatch(/^HERE/);
  });

  it('the caret stays under the character after escapes widen the line', () => {
    const line = '\u001b\u001b\tkey: value';
    const e = new QualifyError('RULES_SCHEMA', 'm', { kind: 'yaml', file: 'r.yaml', line: 1, col: 4, path: [], snippet: line });
    const out = formatError(e);
    const [, code] = out.split('\n');
    expect(code!.slice(caretColumn(out))).toMatch(/^key/);
  });

  it.each([
    [1, 'abc'],
    [3, 'abc'],
    [4, 'abc'],
    [1, ''],
    [50, 'z'.repeat(200)],
    [200, 'z'.repeat(200)],
  ])('col %i of a %#-th line gives a caret inside the excerpt', (col, line) => {
    const { text, caret } = excerpt(line, col);
    expect(caret).toBeGreaterThanOrEqual(0);
    expect(caret).toBeLessThanOrEqual(text.length);
    expect(text.length).toBeLessThanOrEqual(82);
  });

  it('deep nesting: a short message and excerpt, not a 10k-character line', () => {
    const { errors } = compileText(`name: deep\nfields: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    const out = errors.map(formatError).join('\n');
    expect(out).not.toMatch(/call stack/);
    expect(out.length).toBeLessThan(600);
  });
});
