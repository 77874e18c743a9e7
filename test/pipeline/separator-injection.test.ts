// Issue 10 item 13: a spreadsheet may split a line on another separator than the file's (Excel
// in a `;` locale opening a `,` file). Every CSV cell qualify writes that holds `,`, `;` or a TAB
// is quoted, whatever the delimiter, and the text qualify copies into its own columns (a
// person's stage, the reasons quoting it, answers) has no segment after a separator that
// starts a formula. Run through scoreFile on small files, new file and --in-place.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createCsvCellFormatter, createCsvRowWriter } from '../../src/io/record-writer.js';
import { neutralizeCopiedText, neutralizeFormula, startsLikeFormula } from '../../src/io/sanitize.js';
import { loadReadingRules } from '../../src/pipeline/reading-options.js';
import { scoreFile } from '../../src/pipeline/score-file.js';
import { AS_OF } from '../helpers/rules.js';

const dir = mkdtempSync(join(tmpdir(), 'qualify-separators-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { rules } = loadReadingRules(undefined, {});

const PAYLOAD = "=cmd|' /C calc'!A0";
const SEPARATORS = [',', ';', '\t'] as const;

/** The raw text of each field of a record line (no line breaks in these files), quotes kept. */
function rawFields(line: string, d: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    if (ch === d && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Segments a program splitting on any common separator would see as cells of their own. */
const segments = (cell: string) => cell.split(/[,;\t\r\n]/).slice(1);
const isPlainNumberOrPhone = (s: string) => neutralizeFormula(s) === s;

describe.each([
  { d: ',', other: ';' },
  { d: ';', other: ',' },
  { d: '\t', other: ';' },
])('a $d file with $other in its cells', ({ d, other }) => {
  const stage = `x${other}${PAYLOAD}`;
  const header = ['Email', 'Job Title', 'stage', 'class', 'qualified_at', 'Notes'];
  const rows = [
    ['ann@acme.com', 'VP Sales', stage, 'prospect', '2026-10-01', `first${other}second`],
    ['bob@acme.com', 'CEO', '', '', '', `tab\there`],
    ['cy@acme.com', 'Engineer', '', '', '', 'plain'],
  ];
  const text = [header, ...rows].map((r) => r.map((c) => (c.includes(d) ? `"${c}"` : c)).join(d)).join('\n') + '\n';

  for (const mode of ['new file', 'in place'] as const) {
    it(`${mode}: every written cell with , ; or TAB is quoted, and no qualify cell has a formula after a separator`, async () => {
      const input = join(dir, `in-${d === '\t' ? 'tab' : d === ',' ? 'comma' : 'semi'}-${mode.replace(' ', '-')}.csv`);
      writeFileSync(input, text);
      const output = mode === 'in place' ? null : `${input}.out.csv`;
      await scoreFile({ input, rules, asOfDay: AS_OF, format: 'csv', output, inPlace: mode === 'in place', sanitize: true, delimiter: d });
      const written = readFileSync(output ?? input, 'utf8');
      const lines = written.split('\n').filter((l) => l !== '');
      const outHeader = rawFields(lines[0]!, d);
      const ours = new Set(['stage', 'class', 'action', 'reasons', 'tier', 'grade'].map((c) => outHeader.indexOf(c)).filter((i) => i >= 0));
      // The score columns appended by this run (in place, the input cells are written back as
      // they were, so only those are new text).
      const firstNew = header.length;
      for (const line of lines.slice(1)) {
        const fields = rawFields(line, d);
        fields.forEach((raw, i) => {
          if (mode === 'in place' && i < firstNew) return;
          const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw;
          if (/[,;\t]/.test(value)) expect(raw, `cell ${i} of ${JSON.stringify(line)}`).toMatch(/^".*"$/s);
          if (ours.has(i) && (mode === 'new file' || i >= firstNew)) {
            for (const seg of segments(value)) expect(startsLikeFormula(seg) && !isPlainNumberOrPhone(seg), `segment ${JSON.stringify(seg)} of cell ${i}`).toBe(false);
          }
        });
      }
      const parsed = parse(written, { delimiter: d }) as string[][];
      const reasons = parsed[1]![outHeader.indexOf('reasons')]!;
      // The person's stage is kept and quoted in the reasons, neutralised after its separator.
      expect(reasons).toContain(`kept stage x${other}'${PAYLOAD}`);
      if (mode === 'new file') expect(parsed[1]![outHeader.indexOf('stage')]).toBe(`x${other}'${PAYLOAD}`);
      // In place, the person's cell is theirs: written back as it was.
      else expect(parsed[1]![outHeader.indexOf('stage')]).toBe(stage);
      // A new file quotes input cells holding another separator too.
      if (mode === 'new file') {
        expect(lines[1]).toContain(`"first${other}second"`);
        expect(lines[2]).toContain('"tab\there"');
        expect(lines[3]!.includes('"plain"')).toBe(false);
      }
    });
  }
});

describe('neutralizeCopiedText', () => {
  it.each([
    ['kept stage x;=cmd', "kept stage x;'=cmd"],
    ['a,@SUM(A1)', "a,'@SUM(A1)"],
    ['a\t+1+1', "a\t'+1+1"],
    ['a\n-1+2', "a\n'-1+2"],
    ['=x;=y', "'=x;'=y"],
    ['cap 20; stale 184d -38', 'cap 20; stale 184d -38'],
    ['x;-5', 'x;-5'],
    ['x,+44 20 7946 0958', 'x,+44 20 7946 0958'],
    ['x;;=y', "x;;'=y"],
    ['x;\t=y', "x;\t'=y"],
    ['x;', 'x;'],
    ['', ''],
  ])('%j -> %j', (cell, expected) => {
    expect(neutralizeCopiedText(cell)).toBe(expected);
  });

  const unit = fc.constantFrom('a', ' ', '=', '+', '-', '@', '1', ',', ';', '\t', '\n', "'", '＝');
  it('is idempotent and leaves no segment that starts a formula (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 12 }), (s) => {
        const once = neutralizeCopiedText(s);
        expect(neutralizeCopiedText(once)).toBe(once);
        for (const seg of [once, ...segments(once)]) expect(startsLikeFormula(seg) && !isPlainNumberOrPhone(seg)).toBe(false);
        // Only `'` is ever added.
        expect(once.replace(/'/g, '')).toBe(s.replace(/'/g, ''));
      }),
      { numRuns: 500 },
    );
  });
});

describe.each([',', ';', '\t', '|'])('createCsvCellFormatter(%j)', (d) => {
  it.each([',', ';', '\t'])('quotes a cell holding %j', (sep) => {
    expect(createCsvCellFormatter(d)(`a${sep}b`)).toBe(`"a${sep}b"`);
    expect(createCsvRowWriter({ delimiter: d, recordDelimiter: '\n' })([`a${sep}b`, 'c'])).toBe(`"a${sep}b"${d}c\n`);
  });
  it('leaves a plain cell alone', () => {
    expect(createCsvCellFormatter(d)('plain text')).toBe('plain text');
  });
});
