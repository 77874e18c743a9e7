import { describe, expect, it } from 'vitest';
import { addMonths, isoDay, parseDay } from '../../src/core/questionnaire/dates.js';

// 2026-07-01 is a Wednesday.
const TODAY = '2026-07-01';

describe('parseDay', () => {
  it.each([
    ['2026-09-30', '2026-09-30'],
    [' 2026-09-30 ', '2026-09-30'],
    ['today', TODAY],
    ['Tomorrow', '2026-07-02'],
    ['yesterday', '2026-06-30'],
    ['in 3 days', '2026-07-04'],
    ['in 2 weeks', '2026-07-15'],
    ['+10d', '2026-07-11'],
    ['+2w', '2026-07-15'],
    ['in 6 months', '2027-01-01'],
    ['1 year from now', '2027-07-01'],
    ['3 days ago', '2026-06-28'],
    ['next week', '2026-07-08'],
    ['next month', '2026-08-01'],
    ['friday', '2026-07-03'],
    ['next Wednesday', '2026-07-08'],
    ['on monday', '2026-07-06'],
    ['end of month', '2026-07-31'],
    ['end of quarter', '2026-09-30'],
    ['end of next quarter', '2026-12-31'],
    ['end of year', '2026-12-31'],
    ['end of next month', '2026-08-31'],
  ])('%s → %s', (text, expected) => {
    expect(parseDay(text, TODAY)).toBe(expected);
  });

  it.each(['', 'someday', '2026-02-30', '2026-13-01', '31/09/2026', 'in weeks', 'end of week', 'March 32', 'Smarch 3', '13/13/2026'])('%j is not a day', (text) => {
    expect(parseDay(text, TODAY)).toBeUndefined();
  });

  it('clamps month ends', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(parseDay('end of next quarter', '2026-11-15')).toBe('2027-03-31');
  });

  it('takes the local calendar day of now', () => {
    const now = new Date(2026, 6, 1, 23, 59);
    expect(isoDay(now)).toBe('2026-07-01');
  });
});
