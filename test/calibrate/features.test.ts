// Which columns --explore learns from: a record number (distinct whole numbers counted up, as a
// CRM's lead number) is not a trait of the lead, even when the later leads happen to convert
// more; amounts that merely never repeat, and counts that repeat, are binned as before.
import { describe, expect, it } from 'vitest';
import { ColumnStats, columnFeatures, type ExploreOptions } from '../../src/core/calibrate/features.js';

const opts: ExploreOptions = { minSupport: 30, bins: 10, maxLevels: 30 };

/** n leads; lead i has value cell(i) and converts when converts(i). */
function stats(n: number, cell: (i: number) => string, converts: (i: number) => boolean): ColumnStats {
  const s = new ColumnStats();
  for (let i = 0; i < n; i++) s.add(cell(i), converts(i));
  return s;
}

// The later half converts more: bins of a record number would find a "trend".
const laterConvertMore = (i: number) => (i < 500 ? i % 4 === 0 : i % 2 === 0);

describe('columnFeatures: record numbers', () => {
  it('skips distinct whole numbers counted up, with gaps (a lead number), and says why', () => {
    const got = columnFeatures(3, 'Lead Number', stats(1000, (i) => String(580_000 + 7 * i + (i % 3)), laterConvertMore), opts);
    expect(got.features).toEqual([]);
    expect(got.skipped).toMatch(/record number/);
  });

  it('still skips one when blanks are among its cells', () => {
    const got = columnFeatures(0, 'Row', stats(1000, (i) => (i % 10 === 0 ? '' : String(i + 1)), laterConvertMore), opts);
    expect(got.features.filter((f) => f.kind === 'atLeast')).toEqual([]);
    expect(got.skipped).toMatch(/record number/);
  });

  it('bins whole numbers that never repeat but spread far (amounts), and numbers that repeat', () => {
    const amounts = columnFeatures(1, 'Revenue', stats(1000, (i) => String(1_000_000 + 104_729 * i), laterConvertMore), opts);
    expect(amounts.skipped).toBeUndefined();
    expect(amounts.features.some((f) => f.kind === 'atLeast')).toBe(true);
    const visits = columnFeatures(2, 'Visits', stats(1000, (i) => String(Math.floor(i / 50)), laterConvertMore), opts);
    expect(visits.skipped).toBeUndefined();
    expect(visits.features.some((f) => f.kind === 'atLeast')).toBe(true);
  });

  it('bins a dense run of whole numbers once one value repeats (not a key)', () => {
    const got = columnFeatures(0, 'Days', stats(1000, (i) => String(i === 999 ? 0 : i), laterConvertMore), opts);
    expect(got.skipped).toBeUndefined();
    expect(got.features.some((f) => f.kind === 'atLeast')).toBe(true);
  });

  it('leaves a small file alone (too few values to call them a key)', () => {
    const got = columnFeatures(0, 'Row', stats(90, (i) => String(i + 1), (i) => i >= 45), { ...opts, minSupport: 10 });
    expect(got.skipped).toBeUndefined();
  });
});
