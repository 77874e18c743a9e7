// `score --engine duckdb` finds a duplicate's first row by a GROUP BY of the repeated keys joined
// back (bounded memory), where `rules sql` uses a window over the row order. Both must name the
// same first record for every row: keys that differ only by case, padding or Unicode form, blank
// keys (never duplicates), a key seen once, a key seen many times.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mustCompile } from '../helpers/rules.js';
import { parseDate } from '../../src/core/values.js';
import { scoreWithCli, scoreWithDuckDb } from './engines.js';

const RULES = `
version: 1
name: dup
fields:
  email: { aliases: [Email] }
  title: { aliases: [Title], optional: true }
fit:
  rules:
    - { id: vp, why: Senior, when: { title: { contains: vp } }, points: 20 }
engagement:
  rules: []
disqualify:
  - { id: fake, why: Fake, when: { email: { equals: test } } }
duplicates: { field: email, why: Same contact }
score: { min: 0, max: 100 }
thresholds:
  - { min: 10, max: 100, tier: hot, stage: MQL, action: Call }
  - { min: 0, max: 9, tier: low, stage: lead, action: Wait }
`;
const KEYS = ['a@x.com', 'A@X.com', ' a@x.com ', 'b@y.de', 'jörg@müller.de', 'jo\u0308rg@mu\u0308ller.de', '', ' ', 'test', 'TEST', 'c@z.io'];
const AS_OF = parseDate('2026-11-01', 'ymd')!;

describe('duplicates by GROUP BY joined back = by a window (score --engine duckdb)', () => {
  it('gives every row the default engine\'s stage, action and reasons', async () => {
    const rules = mustCompile(RULES);
    const header = ['Email', 'Title'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('VP Sales', 'intern', '')), { minLength: 20, maxLength: 60 }), async (rows) => {
        const cells = rows.map(([e, t]) => [e, t]);
        const expected = scoreWithCli(rules, header, cells, AS_OF);
        expect(await scoreWithDuckDb(rules, header, cells, AS_OF, true)).toEqual(expected);
      }),
      { numRuns: 6 },
    );
  }, 60_000);
});
