// JSON and NDJSON write the score part as bytes, piece by piece (formats/json.ts
// jsonScorePartBytes), rather than building a string a row and encoding it. That is only an
// optimisation: for any score result (numbers of any sign, text with quotes, controls and
// non-ASCII, a missing grade, reasons shared or made for one row, repeated), written at any
// offset into a buffer of any size, the bytes must be exactly Buffer.from(jsonScorePart(s)),
// and a buffer too small must be answered with -1 (the caller grows it and writes again).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Reason, ScoreResult } from '../../src/core/scoring/engine.js';
import { SCORE_VALUES, scoreFields } from '../../src/pipeline/formats/format.js';
import { jsonScorePart, jsonScorePartBytes } from '../../src/pipeline/formats/json.js';
import { format as ndjson } from '../../src/pipeline/formats/ndjson.js';

const config = (grade: boolean, prefix = '') => ({
  fields: scoreFields({ grade: grade ? ({} as never) : null } as never, prefix),
  sanitize: true,
  inPlace: false,
  delimiter: ',',
});

const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '"', '\\', '\n', '\u0001', 'é', '×', '😀', '\u2028', '=', ',') , maxLength: 12 });
const reason = fc.record({ rule: text, points: fc.integer({ min: -500, max: 500 }), why: text, label: text }).chain((r) => fc.constantFrom<Reason>(Object.freeze({ ...r }), { ...r }));
const result = fc.record({
  record: fc.nat(),
  fit: fc.integer({ min: -1000, max: 1000 }),
  engagement: fc.integer({ min: -1000, max: 1000 }),
  score: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true })),
  tier: text,
  grade: fc.option(text),
  stage: text,
  class: text,
  action: text,
  reasons: fc.array(reason, { maxLength: 6 }),
  disqualifiedBy: fc.constant(null),
}) as fc.Arbitrary<ScoreResult>;

describe('JSON score part as bytes', () => {
  for (const grade of [true, false]) {
    it(`gives jsonScorePart's bytes at any offset, -1 when the buffer is too small (grade column ${grade})`, () => {
      const cfg = config(grade, grade ? '' : 'q_');
      const asText = jsonScorePart(cfg);
      // One writer for every run: pieces kept from earlier results must not leak into later ones.
      const asBytes = jsonScorePartBytes(cfg);
      fc.assert(
        fc.property(fc.array(result, { minLength: 1, maxLength: 4 }), fc.nat({ max: 40 }), fc.nat({ max: 300 }), (results, offset, room) => {
          for (const s of results) {
            const want = Buffer.from(asText(s));
            const buf = Buffer.alloc(offset + room);
            const end = asBytes(s, buf, offset);
            if (room < want.length) expect(end).toBe(-1);
            else {
              expect(end).toBe(offset + want.length);
              expect(buf.subarray(offset, end).equals(want)).toBe(true);
            }
            const big = Buffer.alloc(offset + want.length);
            expect(asBytes(s, big, offset)).toBe(big.length);
            expect(big.subarray(offset).toString()).toBe(asText(s));
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('stays right past the pieces it keeps (a rules file with more whys than it caches)', () => {
    const cfg = config(false);
    const asText = jsonScorePart(cfg);
    const asBytes = jsonScorePartBytes(cfg);
    const buf = Buffer.alloc(1024);
    // More distinct whys than the writer keeps (8,192): it starts its cache again, not wrong.
    for (let i = 0; i < 10_000; i++) {
      const s: ScoreResult = { record: i, fit: 0, engagement: 0, score: i, tier: 't', grade: null, stage: 's', class: 'c', action: 'a', reasons: [{ rule: `r${i % 5}`, points: -i, why: `why ${i}`, label: '' }, Object.freeze({ rule: 'decay', points: 1, why: `age ${i % 300}`, label: '' })], disqualifiedBy: null };
      const end = asBytes(s, buf, 0);
      expect(buf.subarray(0, end).toString()).toBe(asText(s));
    }
  });

  it('is what NDJSON and JSON use, with the score columns in order', () => {
    expect(ndjson.scorePartBytes).toBe(jsonScorePartBytes);
    const shared: Reason = Object.freeze({ rule: 'title', points: 20, why: 'Exec "title"', label: 'title +20' });
    const s: ScoreResult = { record: 1, fit: 20, engagement: -3, score: 17, tier: 'warm', grade: null, stage: 'MQL', class: 'lead', action: 'Call', reasons: [shared, { rule: 'decay', points: -3, why: 'stale', label: 'x' }, shared], disqualifiedBy: null };
    const buf = Buffer.alloc(400);
    const end = jsonScorePartBytes(config(false))(s, buf, 0);
    expect(buf.subarray(0, end).toString()).toBe(
      '"fit":20,"engagement":-3,"score":17,"tier":"warm","stage":"MQL","class":"lead","action":"Call","reasons":[{"rule":"title","points":20,"why":"Exec \\"title\\""},{"rule":"decay","points":-3,"why":"stale"},{"rule":"title","points":20,"why":"Exec \\"title\\""}]',
    );
    expect(SCORE_VALUES.reasons.kind).toBe('reasons');
  });
});
