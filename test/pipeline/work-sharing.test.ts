// Work sharing (QUALIFY_WORKER=1, and the default on large files): the reading thread and the
// worker thread score batches of the same file, each batch wherever the run sends it. Whatever
// the split, the output must be the bytes one thread writes, and the summary the same counts in
// the same order (stages, tiers, disqualifications by the record they first came up in,
// unreadable values with the same first example). These runs fix the split with
// ScoreFileOptions.route (the adaptive split depends on timing; one adaptive run is checked too)
// and call the built scoreFile in this process (the worker is dist/'s score-worker.js).
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreFileOptions, ScoreStats } from '../../src/pipeline/score-file.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = join(root, 'dist');
const dir = mkdtempSync(join(tmpdir(), 'qualify-share-'));

type ScoreFile = typeof import('../../src/pipeline/score-file.js').scoreFile;
let scoreFile: ScoreFile;
let rules: ScoreFileOptions['rules'];
const asOfDay = Date.UTC(2026, 10, 1) / 86_400_000;
const saved = process.env['QUALIFY_WORKER'];

beforeAll(async () => {
  expect(existsSync(join(dist, 'pipeline/score-worker.js')), 'dist/ is missing: run npm run build').toBe(true);
  scoreFile = ((await import(join(dist, 'pipeline/score-file.js'))) as typeof import('../../src/pipeline/score-file.js')).scoreFile;
  rules = ((await import(join(dist, 'io/rules-file.js'))) as typeof import('../../src/io/rules-file.js')).loadRules(undefined).rules;
});
afterAll(() => {
  if (saved === undefined) delete process.env['QUALIFY_WORKER'];
  else process.env['QUALIFY_WORKER'] = saved;
});

/** The 200 rows of the purchased list (unreadable numbers and dates, disqualifications,
 * duplicates) 10 times over, ids and most emails made unique: a fresh row's stage, tier, reason
 * or unreadable value first comes up in a late batch, and every 7th copy repeats an email of
 * the first copy (duplicates across batches). `bad`: rows that cannot be read, set aside under
 * --skip-invalid (gaps in the record numbers). */
function leads(bad: boolean): string {
  const [header, ...rows] = readFileSync(join(root, 'fixtures/purchased-list.csv'), 'utf8').trimEnd().split('\n');
  const out = [header!];
  for (let copy = 0; copy < 10; copy++) {
    rows.forEach((row, i) => {
      // Before a copy's first line: the end of the previous copy is the end of a record.
      if (bad && copy % 3 === 2 && i === 0) out.push('short,row');
      let r = copy === 0 ? row : row.replace(/^PL-/, `PL${copy}-`);
      if (copy > 0 && (copy * 200 + i) % 7 !== 0) r = r.replace(/([A-Za-z0-9._%+-]+)@/, `$1.c${copy}@`);
      // A title that only this late row has: its tier/stage counts as seen late in the file.
      if (copy === 8 && i === 3) r = r.replace(/,[^,]*,(\d+),/, ',Chief Executive Officer,$1,');
      out.push(r);
    });
  }
  return out.join('\n') + '\n';
}

const plain = join(dir, 'leads.csv');
const withBad = join(dir, 'leads-bad.csv');
writeFileSync(plain, leads(false));
writeFileSync(withBad, leads(true));

/** A summary as the run prints it: every list in its order. */
const summaryOf = (s: ScoreStats) => ({
  rowsRead: s.rowsRead,
  rowsWritten: s.rowsWritten,
  byStage: [...s.byStage],
  byTier: [...s.byTier],
  disqualified: [...s.disqualified],
  unreadable: s.unreadable,
  rejected: s.rejected,
});

let runs = 0;
async function run(worker: '0' | '1', route: ScoreFileOptions['route'] | undefined, o: { input?: string; format?: 'csv' | 'ndjson' | 'json'; extra?: Partial<ScoreFileOptions> } = {}) {
  process.env['QUALIFY_WORKER'] = worker;
  const output = join(dir, `out-${++runs}`);
  let input = o.input ?? plain;
  if (o.extra?.inPlace) {
    copyFileSync(input, output);
    input = output;
  }
  const stats = await scoreFile({ input, rules, asOfDay, format: o.format ?? 'csv', output: o.extra?.inPlace ? null : output, inPlace: false, sanitize: true, ...o.extra, ...(route ? { route } : {}) });
  return { bytes: readFileSync(output), stats };
}

const ROUTES: [string, NonNullable<ScoreFileOptions['route']>][] = [
  ['every other batch in the worker', (b) => (b % 2 === 0 ? 'worker' : 'inline')],
  ['the first batches here, the rest in the worker', (b) => (b < 3 ? 'inline' : 'worker')],
  ['the first batches in the worker, the rest here', (b) => (b < 3 ? 'worker' : 'inline')],
  ['every batch in the worker', () => 'worker'],
  ['every batch here (a worker started, never used)', () => 'inline'],
  ['a seeded random mix', (b) => (((b * 2654435761) >>> 7) % 3 === 0 ? 'inline' : 'worker')],
];

describe('work sharing gives the bytes and the summary of one thread, however the batches are split', () => {
  it.each(['csv', 'ndjson', 'json'] as const)('%s', async (format) => {
    const one = await run('0', undefined, { format });
    expect(one.stats.threads).toEqual({ worker: false, workerRows: 0, why: 'QUALIFY_WORKER=0' });
    expect(one.stats.byStage.size).toBeGreaterThan(3);
    expect(one.stats.unreadable.length).toBeGreaterThan(0);
    expect(one.stats.disqualified.get('duplicate')?.count).toBeGreaterThan(50);
    // JSON writes the same score parts as NDJSON: two splits are enough for it.
    for (const [name, route] of format === 'json' ? ROUTES.slice(0, 2) : ROUTES) {
      const shared = await run('1', route, { format });
      expect(shared.stats.threads?.worker, name).toBe(true);
      expect(shared.bytes.equals(one.bytes), name).toBe(true);
      expect(summaryOf(shared.stats), name).toEqual(summaryOf(one.stats));
    }
  }, 60_000);

  it('the split is what the route says: some rows in each thread, all in one, none', async () => {
    const total = (await run('0', undefined)).stats.rowsRead;
    expect((await run('1', ROUTES[0]![1])).stats.threads!.workerRows).toBeGreaterThan(0);
    expect((await run('1', ROUTES[0]![1])).stats.threads!.workerRows).toBeLessThan(total);
    expect((await run('1', () => 'worker')).stats.threads!.workerRows).toBe(total);
    expect((await run('1', () => 'inline')).stats.threads!.workerRows).toBe(0);
  }, 60_000);

  it('the adaptive split (no fixed route, QUALIFY_WORKER=1: the first batches go to the worker) gives the same bytes too', async () => {
    const one = await run('0', undefined, { format: 'ndjson' });
    const shared = await run('1', undefined, { format: 'ndjson' });
    expect(shared.stats.threads!.workerRows).toBeGreaterThan(0);
    expect(shared.bytes.equals(one.bytes)).toBe(true);
    expect(summaryOf(shared.stats)).toEqual(summaryOf(one.stats));
  }, 60_000);

  it('the measured split (the default on large files) through every phase: the same bytes and summary', async () => {
    const { createShareController } = (await import(join(dist, 'pipeline/thread-plan.js'))) as typeof import('../../src/pipeline/thread-plan.js');
    const one = await run('0', undefined);
    // Probes of 1 batch and runs of 2: the batches of this file go through probe-solo,
    // probe-share, run (either way) and again, each sharing phase ending with the worker's
    // batches written (the option also stands in for the 32 MB this small file lacks).
    const controllers: ReturnType<typeof createShareController>[] = [];
    const controller = () => {
      const c = createShareController({ probe: 1, run: 2 });
      controllers.push(c);
      return c;
    };
    delete process.env['QUALIFY_WORKER'];
    const output = join(dir, `out-${++runs}`);
    const stats = await scoreFile({ input: plain, rules, asOfDay, format: 'csv', output, inPlace: false, sanitize: true, controller });
    expect(controllers).toHaveLength(1);
    expect(controllers[0]!.state().soloRate).not.toBeNull();
    expect(controllers[0]!.state().shareRate).not.toBeNull();
    expect(readFileSync(output).equals(one.bytes)).toBe(true);
    expect(summaryOf(stats)).toEqual(summaryOf(one.stats));
  }, 60_000);

  it('the duplicate index past its memory (runs in a temp file, removed): the same bytes and summary', async () => {
    const one = await run('0', undefined);
    expect(one.stats.dedupOverflowBytes).toBe(0);
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const savedTmp = process.env['TMPDIR'];
    process.env['TMPDIR'] = tmp;
    try {
      for (const [worker, route] of [['0', undefined], ['1', ROUTES[0]![1]], ['1', ROUTES[5]![1]]] as const) {
        const spilled = await run(worker, route, { extra: { dedupMemoryKeys: 37 } });
        // 2,000 rows, ~1,700 keys: dozens of runs of 37 keys, 12 bytes each.
        expect(spilled.stats.dedupOverflowBytes).toBeGreaterThan(1000 * 12);
        expect(spilled.bytes.equals(one.bytes), `QUALIFY_WORKER=${worker}`).toBe(true);
        expect(summaryOf(spilled.stats)).toEqual(summaryOf(one.stats));
        expect(readdirSync(tmp)).toEqual([]);
      }
    } finally {
      if (savedTmp === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = savedTmp;
    }
  }, 60_000);

  it('a TMPDIR the overflow cannot go to: a FILE_WRITE error naming it, and no output file', async () => {
    const savedTmp = process.env['TMPDIR'];
    process.env['TMPDIR'] = join(dir, 'no-such-dir');
    try {
      for (const worker of ['0', '1'] as const) {
        process.env['QUALIFY_WORKER'] = worker;
        const output = join(dir, `out-${++runs}`);
        await expect(scoreFile({ input: plain, rules, asOfDay, format: 'csv', output, inPlace: false, sanitize: true, dedupMemoryKeys: 37 })).rejects.toMatchObject({
          code: 'FILE_WRITE',
          message: expect.stringMatching(new RegExp(`${join(dir, 'no-such-dir').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*set TMPDIR to a directory that exists`)),
        });
        expect(existsSync(output)).toBe(false);
      }
    } finally {
      if (savedTmp === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = savedTmp;
    }
  }, 60_000);

  it('--tier and --min-score filters keep the same rows', async () => {
    const extra = { select: { tier: 'hot,warm,nurture', minScore: 20 } };
    const one = await run('0', undefined, { extra });
    expect(one.stats.rowsWritten).toBeLessThan(one.stats.rowsRead);
    expect(one.stats.rowsWritten).toBeGreaterThan(0);
    for (const [name, route] of ROUTES) {
      const shared = await run('1', route, { extra });
      expect(shared.bytes.equals(one.bytes), name).toBe(true);
      expect(summaryOf(shared.stats), name).toEqual(summaryOf(one.stats));
    }
  }, 60_000);

  it('--skip-invalid --in-place: rows set aside stay in place, record numbers keep their gaps', async () => {
    const rejectsOf = (tag: string) => join(dir, `rejects-${tag}.csv`);
    const one = await run('0', undefined, { input: withBad, extra: { inPlace: true, rejects: rejectsOf('one') } });
    expect(one.stats.rejected).toBe(3);
    expect(one.bytes.toString()).toMatch(/\nshort,row\r?\n/);
    for (const [i, [name, route]] of ROUTES.entries()) {
      const shared = await run('1', route, { input: withBad, extra: { inPlace: true, rejects: rejectsOf(String(i)) } });
      expect(shared.bytes.equals(one.bytes), name).toBe(true);
      expect(summaryOf(shared.stats), name).toEqual(summaryOf(one.stats));
      expect(readFileSync(rejectsOf(String(i)), 'utf8'), name).toBe(readFileSync(rejectsOf('one'), 'utf8'));
    }
  }, 60_000);
});

describe('packCells (what crosses to the worker)', () => {
  it('gives back every cell: empty ones, NUL, accents, emoji (surrogate pairs), a long one', async () => {
    const { packCells } = await import('../../src/pipeline/score-cells.js');
    const cells = ['', 'a', '', 'nul\u0000x', 'José', '👍🏽 ok', 'x'.repeat(5000), '', 'last'];
    const packed = packCells({ cells, rows: 3, firstRecord: 7, records: null, duplicateOf: null });
    expect(packed.cells).toBeNull();
    expect(packed).toMatchObject({ rows: 3, firstRecord: 7 });
    // The same structured clone postMessage does.
    const { text, ends } = structuredClone(packed.packed!);
    expect(Array.from(ends, (end, i) => text.slice(i === 0 ? 0 : ends[i - 1]!, end))).toEqual(cells);
  });
});
