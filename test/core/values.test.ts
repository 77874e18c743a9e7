import { describe, expect, it } from 'vitest';
import { isValidEmail, normalizeEmail, parseBoolean, parseDate, parseNumber, phoneDigits, type DateFormat } from '../../src/core/values.js';

describe('parseNumber', () => {
  const dotDecimal: [string, number | undefined][] = [
    ['1200', 1200],
    ['-5', -5],
    ['+3.5', 3.5],
    ['  42  ', 42],
    ['0', 0],
    ['-0', 0],
    ['1,200', 1200],
    ['1,200.50', 1200.5],
    ['-1,200.50', -1200.5],
    ['12,345,678', 12345678],
    ['$1,200', 1200],
    ['-$5', -5],
    ['$-5', -5],
    ['$ 1,200.99', 1200.99],
    ['£300', 300],
    ['1,200 €', 1200],
    ['3 400', 3400],
    ['3\u00a0400', 3400],
    ['3\u202f400', 3400],
    ["1'200", 1200],
    ['12k', 12000],
    ['12K', 12000],
    ['1.5M', 1500000],
    ['1.1k', 1100],
    ['$2.5B', 2500000000],
    ['(1,200)', -1200],
    ['($1,200.50)', -1200.5],
    ['12%', 12],
    ['12.5 %', 12.5],
    ['.5', 0.5],
    ['4.47911E+11', 447911000000],
    ['1e3', 1000],
    ['\u22125', -5],
    // not numbers
    ['', undefined],
    ['   ', undefined],
    ['abc', undefined],
    ['N/A', undefined],
    ['12 employees', undefined],
    ['1-5', undefined],
    ['>100', undefined],
    ['k', undefined],
    ['$', undefined],
    ['-', undefined],
    ['5.', undefined],
    ['1.200.300', undefined],
    ['1.200,50', undefined], // European form under decimal '.': ambiguous, refused
    ['1,20', undefined], // a thousands group has 3 digits
    ['1,2345', undefined],
    ['1234,567', undefined],
    ['1,200 300', undefined], // two grouping characters
    ['--5', undefined],
    ['(-5)', undefined],
    ['$5€', undefined],
    ['1e400', undefined],
    ['1e3k', undefined],
    ['Infinity', undefined],
    ['NaN', undefined],
    ['0x10', undefined],
  ];
  it.each(dotDecimal)('%j with decimal "." → %s', (text, expected) => {
    expect(parseNumber(text)).toBe(expected);
  });

  const commaDecimal: [string, number | undefined][] = [
    ['1,5', 1.5],
    ['-1,5', -1.5],
    ['1.200', 1200],
    ['1.200,50', 1200.5],
    ['€ 1.200', 1200],
    ['1 200,50 €', 1200.5],
    ['12,5%', 12.5],
    ['1,5k', 1500],
    ['1200', 1200],
    ['1,200', 1.2], // decimal ',' means this is one point two
    ['1,200.50', undefined],
    ['1.20', undefined],
    ['1,2,3', undefined],
  ];
  it.each(commaDecimal)('%j with decimal "," → %s', (text, expected) => {
    expect(parseNumber(text, ',')).toBe(expected);
  });
});

describe('parseDate', () => {
  const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
  const cases: [string, DateFormat, string | undefined][] = [
    ['2025-03-04', 'auto', '2025-03-04'],
    ['  2025-03-04 ', 'auto', '2025-03-04'],
    ['2025-3-4', 'auto', '2025-03-04'],
    ['2025-03-04T10:00:00Z', 'auto', '2025-03-04'],
    ['2025-03-04T23:30:00.000-05:00', 'auto', '2025-03-04'], // the date as written
    ['2025-03-04 10:00', 'auto', '2025-03-04'],
    ['2025/03/04', 'auto', '2025-03-04'],
    ['2025.03.04', 'auto', '2025-03-04'],
    ['1970-01-01', 'auto', '1970-01-01'],
    ['1969-12-31', 'auto', '1969-12-31'],
    ['3/4/2025', 'auto', '2025-03-04'], // US
    ['03/04/2025', 'auto', '2025-03-04'],
    ['04/03/2025', 'auto', '2025-04-03'], // auto reads a small first part as the month (US)
    ['04/03/2025', 'dmy', '2025-03-04'], // --date-format dmy settles it
    ['04/03/2025', 'mdy', '2025-04-03'],
    ['13/4/2025', 'auto', '2025-04-13'], // first part > 12: must be the day
    ['13/4/2025', 'mdy', undefined],
    ['4.3.2025', 'auto', '2025-03-04'], // dots: European d.m.y
    ['04.03.2025', 'auto', '2025-03-04'],
    ['4.3.2025', 'mdy', '2025-04-03'],
    ['3/4/25', 'auto', '2025-03-04'],
    ['3/4/99', 'auto', '1999-03-04'],
    ['3/4/2025 14:05', 'auto', '2025-03-04'],
    ['3/4/2025 2:05 PM', 'auto', '2025-03-04'],
    ['3/4/2025', 'ymd', undefined],
    ['2025-03-04', 'dmy', '2025-03-04'], // year-first is unambiguous whatever the format
    ['4 Mar 2025', 'auto', '2025-03-04'],
    ['04-Mar-2025', 'auto', '2025-03-04'],
    ['4 March 2025', 'auto', '2025-03-04'],
    ['Mar 4, 2025', 'auto', '2025-03-04'],
    ['September 30th 2025', 'auto', '2025-09-30'],
    ['Sept 30, 2025', 'auto', '2025-09-30'],
    ['2024-02-29', 'auto', '2024-02-29'],
    // not dates
    ['2025-02-30', 'auto', undefined],
    ['2023-02-29', 'auto', undefined],
    ['1900-02-29', 'auto', undefined],
    ['2025-13-01', 'auto', undefined],
    ['2025-00-10', 'auto', undefined],
    ['31/4/2025', 'auto', undefined],
    ['45000', 'auto', undefined], // Excel serial number
    ['45000.5', 'auto', undefined],
    ['', 'auto', undefined],
    ['tomorrow', 'auto', undefined],
    ['4 Foo 2025', 'auto', undefined],
    ['2025-03-04x', 'auto', undefined],
    ['3/4-2025', 'auto', undefined],
  ];
  it.each(cases)('%j (%s) → %s', (text, format, expected) => {
    expect(parseDate(text, format)).toBe(expected === undefined ? undefined : day(expected));
  });

  it('returns an integer day number', () => {
    expect(parseDate('2025-03-04')).toBe(20151);
  });
});

describe('parseBoolean', () => {
  const cases: [string, boolean | undefined][] = [
    ['yes', true], ['YES', true], [' Yes ', true], ['y', true], ['true', true], ['TRUE', true], ['1', true], ['x', true], ['X', true],
    ['no', false], ['No', false], ['n', false], ['false', false], ['0', false],
    ['', undefined], ['maybe', undefined], ['2', undefined], ['yes!', undefined], ['-', undefined],
  ];
  it.each(cases)('%j → %s', (text, expected) => {
    expect(parseBoolean(text)).toBe(expected);
  });
});

describe('normalizeEmail', () => {
  const cases: [string, string][] = [
    ['  Jane.Doe@Example.COM ', 'jane.doe@example.com'],
    ['Jose\u0301@example.com', 'jos\u00e9@example.com'], // NFD → NFC
    ['a@b.co', 'a@b.co'],
  ];
  it.each(cases)('%j → %j', (text, expected) => {
    expect(normalizeEmail(text)).toBe(expected);
  });
});

describe('isValidEmail', () => {
  const cases: [string, boolean][] = [
    ['jane@example.com', true],
    [' jane@example.com ', true],
    ['jane.doe+leads@mail.example.co.uk', true],
    ["o'brien@example.ie", true],
    ['user@xn--bcher-kva.de', true],
    ['jos\u00e9@b\u00fccher.de', true],
    ['a@b.co', true],
    ['', false],
    ['jane', false],
    ['jane@', false],
    ['@example.com', false],
    ['jane@example', false],
    ['jane@@example.com', false],
    ['ja ne@example.com', false],
    ['jane@exa mple.com', false],
    ['jane@example.c', false],
    ['jane@example.123', false],
    ['jane@.example.com', false],
    ['jane@example..com', false],
    ['jane@-example.com', false],
    ['.jane@example.com', false],
    ['jane.@example.com', false],
    ['ja..ne@example.com', false],
    ['jane@example.com.', false],
    ['"jane"@example.com', false],
    ['<jane@example.com>', false],
    [`${'a'.repeat(250)}@example.com`, false],
  ];
  it.each(cases)('%j → %s', (text, expected) => {
    expect(isValidEmail(text)).toBe(expected);
  });

  it('stays fast on a long non-matching domain', () => {
    const t0 = performance.now();
    expect(isValidEmail(`a@${'a'.repeat(240)}`)).toBe(false);
    expect(isValidEmail(`a@${'a-'.repeat(120)}`)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(1000); // a guard against catastrophic backtracking (seconds), loose enough for a loaded CI runner
  });
});

describe('phoneDigits', () => {
  const cases: [string, string][] = [
    ['+1 (555) 010-9999', '15550109999'],
    ['555.010.9999', '5550109999'],
    ['+44 20 7946 0958', '442079460958'],
    ['0049 (0)30 1234567', '0049030' + '1234567'],
    ['555-0109 x12', '5550109'],
    ['555-0109 ext. 12', '5550109'],
    ['555-0109 #12', '5550109'],
    ['tel: +1 555 0109', '15550109'],
    ['', ''],
    ['n/a', ''],
  ];
  it.each(cases)('%j → %j', (text, expected) => {
    expect(phoneDigits(text)).toBe(expected);
  });
});
