// A worker thread is sent only the columns a scorer reads (binding.readColumns). That is safe
// only if the scorer really reads nothing else: for every rules file shipped or in fixtures and
// every fixture CSV it can bind to, a row holding only those cells must score exactly as the
// whole row does (re-scored files included, where a person's stage columns matter).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createScorer } from '../../src/core/scoring/engine.js';
import { loadRules } from '../../src/io/rules-file.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rulesFiles = [
  ...readdirSync(join(root, 'rules')).map((f) => join(root, 'rules', f)),
  ...readdirSync(join(root, 'fixtures', 'rules')).map((f) => join(root, 'fixtures', 'rules', f)),
].filter((f) => {
  try {
    loadRules(f);
    return true;
  } catch {
    return false; // questionnaires and the deliberately broken files
  }
});
const csvFiles = ['purchased-list.csv', 'webinar-export.csv', join('european', 'leads-semicolon.csv'), ...readdirSync(join(root, 'fixtures', 'hostile')).filter((f) => f.endsWith('.csv')).map((f) => join('hostile', f))];

/** Rows made up from the rules' own field names, with a person's stage columns and a column no
 * rule reads: every rules file gets checked, whatever fixture it fits. */
function madeUp(rules: ReturnType<typeof loadRules>['rules'], count: number): string[][] {
  const header = [...rules.fields.map((f) => f.name), 'stage', 'class', 'action', 'qualified_at', 'Unrelated'];
  const pool = ['', '0', '1', '3', '12', '250', '1,200', '$1.5M', '-4', 'yes', 'no', 'true', '2026-10-01', '3/14/2026', 'VP Sales', 'ceo', 'Student',
    'jo@acme.com', 'test@test.com', 'a@gmail.com', 'x@rivalcorp.com', 'bad@', '+1 415 555 2671', '555-0100', 'Germany', 'US', 'Software', 'referral',
    'MQL', 'SQL', 'opportunity', 'disqualified', 'Call back', '2026-11-01', 'n/a', 'Ünïcödé'];
  let seed = 42;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const rows = [header];
  for (let r = 0; r < count; r++) rows.push(header.map(() => pool[next() % pool.length]!));
  return rows;
}

function read(file: string): string[][] {
  const text = readFileSync(join(root, 'fixtures', file), 'utf8').replace(/^\ufeff/, '');
  const delimiter = file.includes('semicolon') ? ';' : ',';
  try {
    return parse(text, { delimiter, relax_column_count: false, skip_empty_lines: true }) as string[][];
  } catch {
    return [];
  }
}

describe('readColumns holds every cell a scorer reads', () => {
  it('found rules files to check', () => {
    expect(rulesFiles.length).toBeGreaterThanOrEqual(4);
  });

  for (const rulesFile of rulesFiles) {
    it(`${rulesFile.slice(root.length)}: a row of only the read cells scores as the whole row`, () => {
      const { rules } = loadRules(rulesFile);
      let compared = 0;
      for (const csv of [...csvFiles, 'made up']) {
        const rows = csv === 'made up' ? madeUp(rules, 400) : read(csv);
        if (rows.length < 2) continue;
        const header = rows[0]!;
        let full, projected;
        try {
          full = createScorer(rules, header, { asOfDay: 20758, file: csv });
          projected = createScorer(rules, header, { asOfDay: 20758, file: csv });
        } catch {
          continue; // a required column this file lacks
        }
        const { readColumns } = projected.binding;
        for (let r = 1; r < rows.length; r++) {
          const row = rows[r]!;
          const only = new Array<string>(header.length).fill('\u0000never read');
          for (const c of readColumns) only[c] = row[c]!;
          expect(projected.score(only, r), `${csv} record ${r}`).toEqual(full.score(row, r));
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(0);
    });
  }

  it('a re-scored file: a person-set stage, class and action are read', () => {
    const { rules } = loadRules(join(root, 'rules', 'default.yaml'));
    const header = ['Email', 'Job Title', 'stage', 'class', 'action', 'qualified_at'];
    const scorer = createScorer(rules, header, { asOfDay: 20758, file: 'x.csv' });
    for (const name of ['stage', 'class', 'action', 'qualified_at']) expect(scorer.binding.readColumns).toContain(header.indexOf(name));
  });
});
