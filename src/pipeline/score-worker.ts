// Worker-thread side of scoring: the main thread reads, parses and writes the input cells; this
// thread scores and formats the score part of each record (score-cells.ts), so that a large
// file uses both cores. Messages: in, {batch} and then {end: true}; out, {parts} per batch (score parts as UTF-8, transferred) (in
// order) and finally {summary}. Nothing here touches files or the terminal.
import { parentPort, workerData } from 'node:worker_threads';
import { createHeapHygiene, GC_EVERY_BATCHES } from './heap-hygiene.js';
import { createScoreCellFormatter, type ScoreBatch, type ScoreCellFormatter } from './score-cells.js';
import { loadOutputFormat } from './formats/registry.js';
import { serializeError } from './worker-errors.js';
import type { ScoreWorkerData } from './worker-pool.js';

// Batches come in on the parent port; answers go out on a port of their own, which the reading
// thread can drain without waiting for its event loop (worker-pool.ts).
const { cfg, answers } = workerData as ScoreWorkerData;
// A failure to set up (a QualifyError from binding the columns, say) is answered to every
// message, in the same shape as inline, instead of ending the thread with a bare Error.
let formatter: ScoreCellFormatter | null = null;
let setupError: unknown = null;
try {
  // Messages that arrive meanwhile wait in the port until the listener below is attached.
  formatter = createScoreCellFormatter(cfg, await loadOutputFormat(cfg.format));
} catch (e) {
  setupError = e;
}
const hygiene = createHeapHygiene(GC_EVERY_BATCHES);
const EMPTY_ENDS = new Int32Array(0);
parentPort!.on('message', (m: { batch?: ScoreBatch; returned?: ArrayBuffer[]; end?: true }) => {
  try {
    if (formatter === null) throw setupError;
    // Buffers of earlier answers, written and given back: the next batches are formatted into them.
    if (m.returned) for (const b of m.returned) formatter.release({ bytes: Buffer.from(b), ends: EMPTY_ENDS, keep: null });
    if (m.batch) {
      const parts = formatter.format(m.batch);
      // Transferred, not copied: the main thread copies the bytes into the output once.
      answers.postMessage({ parts }, [parts.bytes.buffer as ArrayBuffer, parts.ends.buffer as ArrayBuffer, ...(parts.keep ? [parts.keep.buffer as ArrayBuffer] : [])]);
      hygiene.batchDone();
    }
    else if (m.end) answers.postMessage({ summary: formatter.summary() });
  } catch (e) {
    answers.postMessage({ error: serializeError(e) });
  }
});
