// calibrate end to end on fixtures/calibrate (in-process): the suggestion beats the current
// rules on the holdout, and the written rules file keeps the original's comments and order,
// compiles, passes its examples and scores the file.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { calibrate, type CalibrateOptions, type CalibrateReport } from '../../src/core/calibrate/calibrate.js';
import { compileRules } from '../../src/core/rules/compile.js';
import type { CompiledRules } from '../../src/core/rules/compiled.js';
import { runExamples } from '../../src/core/rules/examples.js';
import { createScorer } from '../../src/core/scoring/engine.js';
import { openCsv } from '../../src/io/csv-reader.js';
import { parseYamlSource } from '../../src/core/yaml-source.js';

const leads = fileURLToPath(new URL('../../fixtures/calibrate/leads.csv', import.meta.url));
const rulesPath = fileURLToPath(new URL('../../fixtures/calibrate/rules.yaml', import.meta.url));
const rulesText = readFileSync(rulesPath, 'utf8');

function compile(text: string): CompiledRules {
  const src = parseYamlSource('suggested.yaml', text).source!;
  const r = compileRules(src);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.rules;
}

async function run(o: Partial<CalibrateOptions> = {}): Promise<CalibrateReport> {
  const first = await openCsv(leads);
  const header = first.header;
  return calibrate(
    async () => {
      const input = await openCsv(leads);
      return { file: input.file, header: input.header, batches: () => input.batches() };
    },
    compile(rulesText),
    rulesText,
    compile,
    {
      outcomeColumn: header.indexOf('converted'),
      positive: new Set(['yes']),
      holdout: 0.3,
      seed: 1,
      explore: false,
      maxRules: 30,
      capacity: { fraction: 0.2 },
      asOfDay: 20_000,
      exclude: new Set(),
      pdo: 10,
      alpha: 1,
      ...o,
    },
  );
}

describe('calibrate on the fixture', () => {
  it('splits 400 leads 282/118, each outcome 30%, and judges every rule', async () => {
    const r = await run();
    expect(r.leads).toBe(400);
    expect(r.holdout.leads).toBe(118);
    expect(r.conversions).toBe(93);
    expect(r.rules.map((x) => x.id)).toEqual(['age:senior', 'job:office', 'earlier-success', 'mobile', 'calls']);
    // The generator made each call this campaign lower the odds; the rules give it points.
    const calls = r.suggested.rules.find((x) => x.id === 'calls')!;
    expect(calls.was).toBe(2);
    expect(calls.points).toBeLessThan(0);
    expect(r.suggested.rules.find((x) => x.id === 'earlier-success')!.points).toBeGreaterThan(0);
  });

  it('the suggested points rank the holdout better than the current ones', async () => {
    const r = await run();
    expect(r.suggested.measures.auc).toBeGreaterThan(r.current.auc + 0.1);
  });

  it('the written file keeps comments and order, compiles, passes its examples and scores every lead', async () => {
    const r = await run({ explore: true, maxRules: 8 });
    expect(r.text).toContain('# A small rules file for fixtures/calibrate/leads.csv');
    expect(r.text).toContain('    # Older clients have savings.\n    - id: age:senior');
    expect(r.text).toMatch(/points: -?\d+ # was 2/);
    expect(r.text.indexOf('id: age:senior')).toBeLessThan(r.text.indexOf('id: earlier-success'));
    const rules = compile(r.text);
    expect(runExamples(rules, 20_000).filter((x) => x.failures.length > 0)).toEqual([]);
    // The offset (base-points, on every lead) ranks no one: --max-rules counts the others.
    const scoring = [...rules.fit.rules, ...rules.engagement.rules].filter((x) => x.points !== 0 && x.id !== 'base-points');
    expect(scoring.length).toBeLessThanOrEqual(8);
    const input = await openCsv(leads);
    const scorer = createScorer(rules, input.header, { asOfDay: 20_000, file: input.file });
    let n = 0;
    for await (const batch of input.batches()) for (const row of batch) expect(Number.isInteger(scorer.score(row, ++n).score)).toBe(true);
    expect(n).toBe(400);
    // New rules say why, with their support and lift.
    expect(r.text).toMatch(/why: "[^"]+: \d+ training leads, [\d.]+% converted against [\d.]+% \(lift [\d.]+\)"/);
  });

  it('the same seed gives the same report; another seed another split', async () => {
    const a = await run({ seed: 5 });
    const b = await run({ seed: 5 });
    const c = await run({ seed: 6 });
    expect(b.current).toEqual(a.current);
    expect(b.text).toBe(a.text);
    expect(c.current.auc).not.toBe(a.current.auc);
  });
});

describe('negative suggested points', () => {
  // The fixture's "calls" rule gives +2 a call up to 10; the outcomes say each call lowers the
  // odds. With caps and a floor of 0 in the file, the written rules must let the negative points
  // through: per-call points and the rule's cap negative, the floor and caps widened to what the
  // points reach. The total stays readable: an offset rule on every lead lifts the lowest
  // training lead to 0, score.min is 0, the bottom tier starts there.
  const capped = rulesText
    .replace('fit:\n  rules:', 'fit:\n  max: 20\n  rules:')
    .replace('engagement:\n  rules:', 'engagement:\n  max: 40\n  floor: 0\n  rules:');

  async function runCapped(): Promise<CalibrateReport> {
    const first = await openCsv(leads);
    return calibrate(
      async () => {
        const input = await openCsv(leads);
        return { file: input.file, header: input.header, batches: () => input.batches() };
      },
      compile(capped),
      capped,
      compile,
      { outcomeColumn: first.header.indexOf('converted'), positive: new Set(['yes']), holdout: 0.3, seed: 1, explore: true, maxRules: 8, capacity: { fraction: 0.2 }, asOfDay: 20_000, exclude: new Set(), pdo: 10, alpha: 1 },
    );
  }

  it('are written as they are, with the per-rule cap, floor and score range widened', async () => {
    const r = await runCapped();
    const calls = r.suggested.rules.find((x) => x.id === 'calls')!;
    expect(calls.points).toBeLessThan(0);
    const rules = compile(r.text);
    const compiledCalls = rules.engagement.rules.find((x) => x.id === 'calls')!;
    expect(compiledCalls.points).toBe(calls.points);
    // Same five calls as the old cap (10 / 2), now at the new points.
    expect(compiledCalls.per!.max).toBe(5 * calls.points);
    expect(r.text).toMatch(new RegExp(`points: ${calls.points} # was 2\\n\\s+max: ${5 * calls.points}\\n`));
    expect(rules.score.min).toBe(0);
    expect(rules.engagement.floor).toBeLessThanOrEqual(5 * calls.points);
    const bottom = [...rules.thresholds].sort((a, b) => a.min - b.min)[0]!;
    expect(bottom.min).toBe(0);
    expect(r.suggested.offset).toBeGreaterThan(0);
    const base = rules.fit.rules.find((x) => x.id === 'base-points')!;
    expect(base.points).toBe(r.suggested.offset);
    expect(r.text).toMatch(/why: Every lead starts at \d+ points, so that the lowest of the training leads scores 0/);
  });

  it('score every lead as the sum of its rules from 0 up: no cap or floor cuts them, the offset ranks no one', async () => {
    const r = await runCapped();
    const rules = compile(r.text);
    const input = await openCsv(leads);
    const scorer = createScorer(rules, input.header, { asOfDay: 20_000, file: input.file });
    let n = 0;
    let belowZeroWithoutOffset = 0;
    let atZero = 0;
    for await (const batch of input.batches())
      for (const row of batch) {
        const s = scorer.score(row, ++n);
        const builtIn = s.reasons.filter((x) => ['fit-cap', 'engagement-cap', 'engagement-floor'].includes(x.rule));
        expect(builtIn).toEqual([]);
        const ruleSum = s.reasons.filter((x) => x.rule !== 'score-range').reduce((t, x) => t + x.points, 0);
        // Every lead gets the offset; the score is the rules' sum, floored at 0 (score.min).
        expect(s.reasons.find((x) => x.rule === 'base-points')?.points).toBe(r.suggested.offset);
        expect(s.score).toBe(Math.max(0, ruleSum));
        if (ruleSum - r.suggested.offset < 0) belowZeroWithoutOffset++;
        if (s.score === 0) atZero++;
      }
    expect(n).toBe(400);
    // Without the offset these leads would have negative scores; with it none has, and the
    // lowest training lead sits at 0.
    expect(belowZeroWithoutOffset).toBeGreaterThan(0);
    expect(atZero).toBeGreaterThan(0);
  });
});

describe('converted leads a disqualifier threw out', () => {
  it('are counted and named by record number (the first ten)', async () => {
    const withDq = rulesText.replace('score: {', 'disqualify:\n  - id: student\n    why: Students have no savings\n    when: { job: { equals: student } }\n\nscore: {');
    const first = await openCsv(leads);
    const r = await calibrate(
      async () => {
        const input = await openCsv(leads);
        return { file: input.file, header: input.header, batches: () => input.batches() };
      },
      compile(withDq),
      withDq,
      compile,
      { outcomeColumn: first.header.indexOf('converted'), positive: new Set(['yes']), holdout: 0.3, seed: 1, explore: false, maxRules: 30, capacity: { fraction: 0.2 }, asOfDay: 20_000, exclude: new Set(), pdo: 10, alpha: 1 },
    );
    // The same leads, found by reading the file.
    const job = first.header.indexOf('job');
    const outcome = first.header.indexOf('converted');
    let n = 0;
    let students = 0;
    const converted: number[] = [];
    const input = await openCsv(leads);
    for await (const batch of input.batches())
      for (const row of batch) {
        n++;
        if (row[job] !== 'student') continue;
        students++;
        if (row[outcome] === 'yes') converted.push(n);
      }
    expect(converted.length).toBeGreaterThan(0);
    expect(r.disqualifiers).toEqual([{ id: 'student', fired: students, conversions: converted.length, records: converted.slice(0, 10) }]);
  });
});
