// The csv-spectrum acceptance set (npm csv-spectrum 2.0.0) read through openCsv, compared with
// its expected JSON: header names as keys, every value a string.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openCsv } from '../../src/io/csv-reader.js';

const root = fileURLToPath(new URL('../../node_modules/csv-spectrum/', import.meta.url));
const names = readdirSync(join(root, 'csvs'))
  .filter((f) => f.endsWith('.csv'))
  .map((f) => f.slice(0, -4))
  .sort();

/** Broken upstream (csv-spectrum#20): its JSON is an object rather than an array, the phone
 * numbers differ from the CSV, and the CSV holds U+FFFD and a bare `"`. csv-parse's own
 * spectrum test skips it too. */
const EXCLUDED = new Set(['location_coordinates']);

describe('csv-spectrum', () => {
  it('has the twelve cases, one excluded', () => {
    expect(names.length).toBe(12);
    expect(names.filter((n) => EXCLUDED.has(n))).toEqual(['location_coordinates']);
  });

  it.each(names.filter((n) => n.endsWith('_crlf')))('%s really has CRLF line endings (and no bare LF)', (name) => {
    const text = readFileSync(join(root, 'csvs', `${name}.csv`), 'latin1');
    expect(text).toContain('\r\n');
    expect(/(?<!\r)\n/.test(text)).toBe(false);
  });

  it.each(names.filter((n) => !EXCLUDED.has(n)))('%s reads as its JSON says', async (name) => {
    const expected = JSON.parse(readFileSync(join(root, 'json', `${name}.json`), 'utf8')) as Record<string, string>[];
    const input = await openCsv(join(root, 'csvs', `${name}.csv`));
    const got: Record<string, string>[] = [];
    for await (const batch of input.batches()) {
      for (const row of batch) got.push(Object.fromEntries(input.header.map((h, i) => [h, row[i]!])));
    }
    expect(got).toEqual(expected);
  });
});
