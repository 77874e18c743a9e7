// The reading thread takes the worker's answers without going through its event loop
// (worker-pool.ts poll): a thread busy parsing and writing visits the event loop rarely, and
// answers left waiting there counted as batches the worker still held, so the reading thread
// scored more batches itself while the worker sat idle. Runs the built dist/ (the worker is a
// separate .js module), which `npm test` builds first.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

/** Blocks this thread (no event loop turn) for `ms`. */
const block = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The built modules, rules for a five-column file, a formatter in this thread and the
 * projection of rows to the cells the rules read, for `format`. */
async function setUp(format: 'csv' | 'ndjson') {
  expect(existsSync(`${dist}pipeline/worker-pool.js`), 'dist/ is missing: run npm run build').toBe(true);
  const { loadRules } = (await import(`${dist}io/rules-file.js`)) as typeof import('../../src/io/rules-file.js');
  const { startScoreWorker } = (await import(`${dist}pipeline/worker-pool.js`)) as typeof import('../../src/pipeline/worker-pool.js');
  const { createScoreCellFormatter, projectRows } = (await import(`${dist}pipeline/score-cells.js`)) as typeof import('../../src/pipeline/score-cells.js');
  const { loadOutputFormat } = (await import(`${dist}pipeline/formats/registry.js`)) as typeof import('../../src/pipeline/formats/registry.js');
  const { createScorer } = (await import(`${dist}core/scoring/engine.js`)) as typeof import('../../src/core/scoring/engine.js');
  const { rules } = loadRules(undefined);
  const header = ['Email', 'Company', 'Job Title', 'Employees', 'Country'];
  const cfg = { rules, header, asOfDay: 20_000, file: 'leads.csv', format, sanitize: true, delimiter: ',' };
  const { readColumns } = createScorer(rules, header, { asOfDay: 20_000, file: 'leads.csv' }).binding;
  const project = (rows: string[][], first: number) => projectRows(rows, readColumns, null, first);
  const inline = createScoreCellFormatter(cfg, await loadOutputFormat(format));
  return { project, inline, startWorker: () => startScoreWorker(cfg) };
}

describe('worker answers', () => {
  it('poll() takes the answers that arrived while this thread was busy, in order, without the event loop', async () => {
    const { project, inline, startWorker } = await setUp('csv');
    const batchOf = (first: number) => project([[`a${first}@acme.com`, 'Acme', 'vp marketing', '120', 'US'], [`b${first}@acme.com`, 'Acme', 'student', '5', 'FR']], first);
    const worker = startWorker();
    try {
      // The worker's first answer, through the event loop: it has started and compiled.
      await worker.format(batchOf(1));
      expect(worker.inFlight()).toBe(0);
      const settled: string[] = [];
      for (const first of [3, 5, 7]) worker.format(batchOf(first), (parts) => settled.push(parts!.bytes.toString()));
      expect(worker.inFlight()).toBe(3);
      // Busy, never yielding: the answers arrive on the port, and only poll() can take them now.
      for (let waited = 0; waited < 10_000 && settled.length < 3; waited += 20) {
        block(20);
        worker.poll();
      }
      expect(worker.inFlight()).toBe(0);
      expect(settled).toEqual([3, 5, 7].map((first) => inline.format(batchOf(first)).bytes.toString()));
    } finally {
      await worker.close();
    }
  });

  it('a buffer given back goes to the worker with the next batch, which formats into it', async () => {
    const { project, inline, startWorker } = await setUp('ndjson');
    const rowsOf = (first: number, n: number) => project(Array.from({ length: n }, (_, i) => [`a${first + i}@acme.com`, 'Acme', 'vp marketing', '120', 'US']), first);
    const worker = startWorker();
    try {
      // 200 rows of NDJSON: a buffer far bigger than the 4 KiB a two-row batch would get.
      const big = await worker.format(rowsOf(1, 200));
      const given = big.bytes.buffer;
      const size = given.byteLength;
      expect(size).toBeGreaterThan(16_384);
      worker.giveBack(big);
      const small = await worker.format(rowsOf(201, 2));
      // Transferred to the worker (detached here), and the worker's answer is in it.
      expect(given.byteLength).toBe(0);
      expect(small.bytes.buffer.byteLength).toBe(size);
      expect(small.bytes.toString()).toBe(inline.format(rowsOf(201, 2)).bytes.toString());
    } finally {
      await worker.close();
    }
  });
});
