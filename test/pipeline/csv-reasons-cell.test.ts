// The CSV score part writes the reasons cell from pieces kept per label (formats/csv.ts) rather
// than joining, neutralising and quoting the whole cell on every row. That is only an
// optimisation: for any labels, in any order and repeated, under every delimiter, with and
// without --no-sanitize, the cell must be exactly what the plain way gives:
// cell(neutralizeCopiedText(formatReasons(reasons))).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatReasons, type Reason } from '../../src/core/scoring/engine.js';
import { createCsvCellFormatter } from '../../src/io/record-writer.js';
import { neutralizeCopiedText } from '../../src/io/sanitize.js';
import { format } from '../../src/pipeline/formats/csv.js';
import { SCORE_VALUES } from '../../src/pipeline/formats/format.js';

const writer = (delimiter: string, sanitize: boolean) =>
  format.scorePart({ fields: [{ column: 'reasons', name: 'reasons', value: SCORE_VALUES.reasons }], sanitize, inPlace: false, delimiter });

const asResult = (reasons: Reason[]) =>
  ({ record: 1, fit: 0, engagement: 0, score: 0, tier: '', grade: null, stage: '', class: '', action: '', reasons, disqualifiedBy: null }) as const;

const reason = (label: string): Reason => Object.freeze({ rule: 'r', points: 0, why: '', label });

// Labels made of what matters to quoting and neutralising: formula triggers, separators, quotes,
// spaces, digits (signed numbers and phone numbers are kept), full-width triggers.
const label = fc.array(fc.constantFrom('a', ' ', '1', '+', '-', '=', '@', ',', ';', '\t', '\r', '\n', '"', '|', '.', '(', '＝', 'é', "'"), { maxLength: 8 }).map((cs) => cs.join(''));

describe('CSV reasons cell', () => {
  for (const delimiter of [',', ';', '\t', '|']) {
    for (const sanitize of [true, false]) {
      it(`is the plain join, neutralised and quoted (delimiter ${JSON.stringify(delimiter)}, sanitize ${sanitize})`, () => {
        const cell = createCsvCellFormatter(delimiter);
        const write = writer(delimiter, sanitize);
        // One writer for every run: pieces kept from earlier rows must not leak into later ones.
        fc.assert(
          fc.property(fc.array(label, { maxLength: 5 }), (labels) => {
            const reasons = labels.map(reason);
            const text = formatReasons(reasons);
            expect(write(asResult(reasons))).toBe(cell(sanitize ? neutralizeCopiedText(text) : text));
          }),
          { numRuns: 400 },
        );
      });
    }
  }

  it('handles the labels the engine writes, the same reason repeated', () => {
    const write = writer(',', true);
    const labels = ['title:exec +20', 'visits 12×2 (cap 20) +20', 'stale 72d ×0.33 -17', 'kept stage Won;=HYPERLINK("x")', 'duplicate of record 12'];
    const reasons = labels.map(reason);
    for (let i = 0; i < 3; i++) {
      expect(write(asResult(reasons))).toBe('"title:exec +20; visits 12×2 (cap 20) +20; stale 72d ×0.33 -17; kept stage Won;\'=HYPERLINK(""x""); duplicate of record 12"');
      expect(write(asResult([reasons[0]!]))).toBe('title:exec +20');
      expect(write(asResult([]))).toBe('');
    }
  });
});
