import { describe, expect, it } from 'vitest';
import { isCurrencyUnit, readAmount, type AmountResult } from '../../src/core/amount.js';

// What a salesperson types for a budget, read with each decimal setting of the file.
// [text, with decimal '.', with decimal ','] — a number, 'ambiguous', 'range' or 'invalid'.
type Want = number | 'ambiguous' | 'range' | 'invalid';
const table: [string, Want, Want][] = [
  // The examples: forty thousand (or 1.5 million) in both settings.
  ['€ 40.000', 40000, 40000],
  ['40.000,00 €', 40000, 40000],
  ['$40,000', 40000, 40000],
  ['40 000', 40000, 40000],
  ['40\u00a0000', 40000, 40000],
  ['40k', 40000, 40000],
  ['40K', 40000, 40000],
  ['1.5M', 1500000, 1500000],
  ['1,5M', 1500000, 1500000],
  ['40000', 40000, 40000],
  ['40,000.00', 40000, 40000],
  ['40.000 EUR', 40000, 40000],
  ['EUR 40.000', 40000, 40000],
  ['40k€', 40000, 40000],
  ['€40k', 40000, 40000],
  ['1.234.567', 1234567, 1234567],
  ['1,234,567', 1234567, 1234567],
  ["40'000", 40000, 40000],
  ['40 000,50', 40000.5, 40000.5],
  ['1 234 567.5', 1234567.5, 1234567.5],
  // A single mark not followed by 3 digits is the decimal mark, whichever it is.
  ['40.5', 40.5, 40.5],
  ['40,5', 40.5, 40.5],
  ['40,50', 40.5, 40.5],
  ['.5', 0.5, 0.5],
  ['1234.567', 1234.567, 1234.567], // cannot be a thousands group (4 digits before it)
  // A single mark followed by 3 digits: the file's convention settles it when the mark is not
  // its decimal mark; when it is, only a currency does (written, or the question's unit).
  ['40.000', 'ambiguous', 40000],
  ['40,500', 40500, 'ambiguous'],
  ['40,500 €', 40500, 40500],
  ['1.500k', 'ambiguous', 1500000],
  ['-5', -5, -5],
  ['(1,200)', 1200 * -1, 'ambiguous'],
  // Not amounts.
  ['abc', 'invalid', 'invalid'],
  ['', 'invalid', 'invalid'],
  ['   ', 'invalid', 'invalid'],
  ['12-15k', 'range', 'range'],
  ['10 to 20k', 'range', 'range'],
  ['€10k-€15k', 'range', 'range'],
  ['40.000.5', 'invalid', 'invalid'],
  ['1,20,000', 'invalid', 'invalid'],
  ['40 00', 'invalid', 'invalid'],
  ['12 people', 'invalid', 'invalid'],
  ['1e3', 'invalid', 'invalid'],
  ['40.000,00.5', 'invalid', 'invalid'],
  ['$5€', 'invalid', 'invalid'],
];

function outcome(r: AmountResult): Want {
  return r.ok ? r.value : r.reason;
}

describe('readAmount', () => {
  it.each(table)('%j → %s with decimal ".", %s with decimal ","', (text, dot, comma) => {
    expect(outcome(readAmount(text, { decimal: '.' }))).toBe(dot);
    expect(outcome(readAmount(text, { decimal: ',' }))).toBe(comma);
  });

  it('reads a 3-digit group as thousands when the question is in a currency', () => {
    expect(readAmount('40.000', { decimal: '.', currencyUnit: true })).toEqual({ ok: true, value: 40000 });
    expect(readAmount('60.000', { decimal: '.', currencyUnit: true })).toEqual({ ok: true, value: 60000 });
    expect(readAmount('40,500', { decimal: ',', currencyUnit: true })).toEqual({ ok: true, value: 40500 });
    // A multiplier brings the doubt back: 1.5k or 1500k?
    expect(readAmount('1.500k', { decimal: '.', currencyUnit: true })).toMatchObject({ ok: false, reason: 'ambiguous' });
  });

  it('says both readings of an ambiguous amount, each written so it cannot be misread', () => {
    expect(readAmount('40.500', { decimal: '.' })).toEqual({ ok: false, reason: 'ambiguous', asDecimal: 40.5, asGroups: 40500, suggest: ['40.5', '40500'] });
    expect(readAmount('40,500', { decimal: ',' })).toEqual({ ok: false, reason: 'ambiguous', asDecimal: 40.5, asGroups: 40500, suggest: ['40,5', '40500'] });
    expect(readAmount('40.125', { decimal: '.' })).toMatchObject({ suggest: ['40.1250', '40125'] });
    expect(readAmount('1.500k', { decimal: '.' })).toMatchObject({ asDecimal: 1500, asGroups: 1500000, suggest: ['1.5k', '1500k'] });
  });

  it.each([
    ['EUR', true], ['€', true], ['usd', true], ['euros', true], ['employees', false], ['%', false],
  ] as const)('unit %j is a currency: %s', (unit, expected) => {
    expect(isCurrencyUnit(unit)).toBe(expected);
  });
});
