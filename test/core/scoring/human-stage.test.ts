// A stage a person typed is kept on re-scoring in any case and spacing, and in the words CRMs
// use (HUMAN_STAGE_SPELLINGS in src/core/stage/model.ts, the table in README "The funnel"): the
// stage cell keeps the person's exact text, byte for byte, also through `score --in-place`.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../src/core/scoring/engine.js';
import { scoreColumns } from '../../../src/core/rules/compiled.js';
import { HUMAN_STAGE_SPELLINGS, STAGES, humanStageOf, stageKey } from '../../../src/core/stage/model.js';
import { loadRules } from '../../../src/io/rules-file.js';
import { scoreFile } from '../../../src/pipeline/score-file.js';
import { AS_OF } from '../../helpers/rules.js';

const { rules: DEFAULT } = loadRules(undefined);
const BLOCK = scoreColumns(DEFAULT);
const HEADER = ['Email', 'Job Title', 'Employees', ...BLOCK];
const STAGE_AT = HEADER.indexOf('stage');
const SPELLINGS = Object.entries(HUMAN_STAGE_SPELLINGS).flatMap(([stage, list]) => list.map((s) => [s, stage] as [string, string]));

/** One row of an already scored file (a cold lead by the formula) with `stage` in its stage cell. */
function rowWith(stage: string): string[] {
  const row = HEADER.map(() => '');
  row[0] = 'dana@northwind.io';
  row[STAGE_AT] = stage;
  return row;
}

function rescore(stage: string) {
  return createScorer(DEFAULT, HEADER, { asOfDay: AS_OF, file: 't.csv' }).score(rowWith(stage), 1);
}

/** A spelling with its letters in random case and random whitespace around and inside it. */
const randomised = fc
  .tuple(
    fc.constantFrom(...SPELLINGS.map(([s]) => s)),
    fc.infiniteStream(fc.boolean()),
    fc.array(fc.constantFrom(' ', '  ', '\t', '\u00a0'), { maxLength: 2 }),
    fc.array(fc.constantFrom(' ', '  ', '\t', '\u00a0'), { maxLength: 2 }),
    fc.boolean(),
  )
  .map(([s, upper, before, after, squeeze]) => {
    const it = upper[Symbol.iterator]();
    const cased = [...s].map((ch) => (it.next().value ? ch.toUpperCase() : ch.toLowerCase())).join('');
    return before.join('') + (squeeze ? cased.replace(/ /g, '') : cased.replace(/ /g, '  ')) + after.join('');
  });

describe('human stages in any spelling are kept on re-scoring', () => {
  it.each([
    ['Opportunity', 'opportunity'],
    ['sql', 'prospect'],
    ['Sal', 'lead'],
    ['SQL ', 'prospect'],
    ['Sales Qualified Lead', 'prospect'],
    ['sales-accepted lead', 'lead'],
    ['Closed Won', 'opportunity'],
    ['closed_lost', 'opportunity'],
    ['Won', 'opportunity'],
    ['Prospect', 'prospect'],
    ['salesqualifiedlead', 'prospect'],
    ['Negotiation/Review', 'opportunity'],
  ])('%j stays as typed, with class %s', (cell, klass) => {
    const r = rescore(cell);
    expect(r.stage).toBe(cell);
    expect(r.class).toBe(klass);
    expect(r.reasons.find((x) => x.rule === 'human-stage')?.label).toBe(`kept stage ${cell.trim()}`);
  });

  it.each(SPELLINGS)('the table entry %j is the human stage %s', (spelling, stage) => {
    expect(humanStageOf(spelling)).toBe(stage);
    expect(rescore(spelling).stage).toBe(spelling);
  });

  it('README "The funnel" lists every spelling of the table, in its stage\'s row', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const funnel = readme.slice(readme.indexOf('## The funnel'), readme.indexOf('\n## ', readme.indexOf('## The funnel') + 1));
    for (const [stage, list] of Object.entries(HUMAN_STAGE_SPELLINGS)) {
      const line = funnel.split('\n').find((l) => l.startsWith(`| ${stage} |`));
      expect(line, stage).toBeDefined();
      for (const s of list) expect(line, s).toContain(`\`${s}\``);
    }
  });

  it('no stage the formula writes is mistaken for a human one (their keys differ)', () => {
    for (const s of STAGES.filter((x) => !['SAL', 'SQL', 'opportunity'].includes(x))) {
      expect(humanStageOf(s), s).toBeUndefined();
      expect(humanStageOf(s.toUpperCase()), s).toBeUndefined();
    }
    // Keys are unique across stages: one spelling never means two stages.
    const keys = SPELLINGS.map(([s]) => stageKey(s));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each([
    ['MQL', 'mql'],
    ['a formula stage', 'bad lead'],
    ['free text that is no stage', 'call me in May'],
  ])('%s (%j) is recomputed', (_name, cell) => {
    const r = rescore(cell);
    expect(r.stage).toBe(rescore('').stage);
    expect(r.stage).not.toBe(cell);
    expect(r.reasons.find((x) => x.rule === 'human-stage')).toBeUndefined();
  });

  it('property: any human stage spelling in random case and whitespace keeps its cell byte for byte', () => {
    fc.assert(
      fc.property(randomised, (cell) => {
        const r = rescore(cell);
        expect(r.stage).toBe(cell);
        expect(r.reasons.some((x) => x.rule === 'human-stage')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('property: score --in-place writes those stage cells back byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qualify-stage-'));
    const file = join(dir, 'leads.csv');
    await fc.assert(
      fc.asyncProperty(fc.array(randomised, { minLength: 1, maxLength: 8 }), async (stages) => {
        const cell = (s: string) => `"${s.replace(/"/g, '""')}"`;
        const text = [HEADER.join(','), ...stages.map((s) => rowWith(s).map(cell).join(','))].join('\n') + '\n';
        writeFileSync(file, text);
        await scoreFile({ input: file, rules: DEFAULT, asOfDay: AS_OF, format: 'csv', output: null, inPlace: true, sanitize: true });
        const rows = parse(readFileSync(file), { relax_column_count: false }) as string[][];
        expect(rows[0]).toEqual(HEADER);
        expect(rows.slice(1).map((r) => r[STAGE_AT])).toEqual(stages);
      }),
      { numRuns: 40 },
    );
  });
});
